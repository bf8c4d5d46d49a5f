using Espwire.Protocol.Rom;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>FLASH_DATA: one block (0x400 in ROM mode, 0x4000 with the stub), padded with 0xFF at the end.</summary>
public sealed record FlashDataCommand(uint Sequence, ReadOnlyMemory<byte> Block) : DataBlockCommand(Sequence, Block)
{
    public override Opcode Opcode => Opcode.FlashData;

    // esptool's ERASE_WRITE_TIMEOUT_PER_MB: a block may wait for an erase.
    public override TimeSpan Timeout => PerMegabyte(40, Block.Length);
}
