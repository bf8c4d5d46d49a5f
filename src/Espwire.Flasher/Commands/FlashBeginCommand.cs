using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>FLASH_BEGIN: <c>erase_size, num_blocks, block_size, offset</c>. The ROM erases before it answers.</summary>
public sealed record FlashBeginCommand(uint EraseSize, uint BlockCount, uint BlockSize, uint Offset) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.FlashBegin;

    // esptool's ERASE_REGION_TIMEOUT_PER_MB.
    public override TimeSpan Timeout => PerMegabyte(30, EraseSize);

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, EraseSize);
        WriteUInt32(writer, BlockCount);
        WriteUInt32(writer, BlockSize);
        WriteUInt32(writer, Offset);
    }
}
