using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>FLASH_END: the payload is 0 to reboot, 1 to stay in the loader.</summary>
public sealed record FlashEndCommand(bool Reboot) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.FlashEnd;

    public override void WriteData(IBufferWriter<byte> writer) => WriteUInt32(writer, Reboot ? 0u : 1u);
}
