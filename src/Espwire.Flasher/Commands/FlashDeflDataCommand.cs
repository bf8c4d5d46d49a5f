using Espwire.Protocol.Rom;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>FLASH_DEFL_DATA: one block of the zlib stream; the last one is not padded.</summary>
public sealed record FlashDeflDataCommand(uint Sequence, ReadOnlyMemory<byte> Block, int UncompressedEstimate) : DataBlockCommand(Sequence, Block)
{
    public override Opcode Opcode => Opcode.FlashDeflData;

    // The device writes what the block inflates to, so the timeout follows the uncompressed size.
    public override TimeSpan Timeout => PerMegabyte(40, Math.Max(UncompressedEstimate, Block.Length));
}
