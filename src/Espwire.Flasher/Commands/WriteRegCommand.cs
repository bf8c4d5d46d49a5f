using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>WRITE_REG: <c>addr, value, mask, delay_us</c>.</summary>
public sealed record WriteRegCommand(uint Address, uint Value, uint Mask = 0xFFFFFFFF, uint DelayMicroseconds = 0) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.WriteReg;

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, Address);
        WriteUInt32(writer, Value);
        WriteUInt32(writer, Mask);
        WriteUInt32(writer, DelayMicroseconds);
    }
}
