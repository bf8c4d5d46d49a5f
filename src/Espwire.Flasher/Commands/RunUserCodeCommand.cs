using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>RUN_USER_CODE: leave the stub and boot the application (stub only; no reply expected).</summary>
public sealed record RunUserCodeCommand : BootloaderCommand
{
    public override Opcode Opcode => Opcode.RunUserCode;

    public override void WriteData(IBufferWriter<byte> writer)
    {
    }
}
