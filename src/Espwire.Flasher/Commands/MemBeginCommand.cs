using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>MEM_BEGIN: <c>size, num_blocks, block_size, address</c> of a RAM upload (the stub's text or data).</summary>
public sealed record MemBeginCommand(uint Size, uint BlockCount, uint BlockSize, uint Address) : BootloaderCommand
{
    public const uint DefaultBlockSize = 0x1800;

    public override Opcode Opcode => Opcode.MemBegin;

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, Size);
        WriteUInt32(writer, BlockCount);
        WriteUInt32(writer, BlockSize);
        WriteUInt32(writer, Address);
    }
}
