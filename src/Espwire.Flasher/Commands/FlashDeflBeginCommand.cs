using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>FLASH_DEFL_BEGIN: <c>uncompressed size, num_blocks, block_size, offset</c> of a zlib-compressed write (stub).</summary>
public sealed record FlashDeflBeginCommand(uint UncompressedSize, uint BlockCount, uint BlockSize, uint Offset) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.FlashDeflBegin;

    public override TimeSpan Timeout => PerMegabyte(30, UncompressedSize);

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, UncompressedSize);
        WriteUInt32(writer, BlockCount);
        WriteUInt32(writer, BlockSize);
        WriteUInt32(writer, Offset);
    }
}
