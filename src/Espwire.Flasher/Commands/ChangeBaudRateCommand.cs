using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>CHANGE_BAUDRATE: <c>new, old</c>. The stub answers at the old rate, then switches.</summary>
public sealed record ChangeBaudRateCommand(uint NewBaudRate, uint OldBaudRate) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.ChangeBaudRate;

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, NewBaudRate);
        WriteUInt32(writer, OldBaudRate);
    }
}
