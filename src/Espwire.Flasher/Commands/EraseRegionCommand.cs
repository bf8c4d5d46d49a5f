using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>ERASE_REGION: <c>offset, size</c>, both multiples of the 4 KB sector (stub).</summary>
public sealed record EraseRegionCommand(uint Offset, uint Size) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.EraseRegion;

    public override TimeSpan Timeout => PerMegabyte(30, Size);

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, Offset);
        WriteUInt32(writer, Size);
    }
}
