using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>READ_REG: the register's value comes back in the reply's value field.</summary>
public sealed record ReadRegCommand(uint Address) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.ReadReg;

    public override void WriteData(IBufferWriter<byte> writer) => WriteUInt32(writer, Address);
}
