using Espwire.Protocol.Rom;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>MEM_DATA: one block of a RAM upload.</summary>
public sealed record MemDataCommand(uint Sequence, ReadOnlyMemory<byte> Block) : DataBlockCommand(Sequence, Block)
{
    public override Opcode Opcode => Opcode.MemData;
}
