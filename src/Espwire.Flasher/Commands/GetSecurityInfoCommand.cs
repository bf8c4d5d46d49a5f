using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>GET_SECURITY_INFO: not on the ESP8266; newer flashers send it first and fall back when it fails.</summary>
public sealed record GetSecurityInfoCommand : BootloaderCommand
{
    public override Opcode Opcode => Opcode.GetSecurityInfo;

    public override void WriteData(IBufferWriter<byte> writer)
    {
    }
}
