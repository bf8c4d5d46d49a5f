using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>The shape MEM_DATA, FLASH_DATA and FLASH_DEFL_DATA share: <c>len, seq, 0, 0</c> then the block, checksummed.</summary>
public abstract record DataBlockCommand(uint Sequence, ReadOnlyMemory<byte> Block) : BootloaderCommand
{
    public override uint Checksum => Espwire.Protocol.Rom.Checksum.Compute(Block.Span);

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, (uint)Block.Length);
        WriteUInt32(writer, Sequence);
        WriteUInt32(writer, 0);
        WriteUInt32(writer, 0);
        WriteBytes(writer, Block.Span);
    }
}
