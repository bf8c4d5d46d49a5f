using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>FLASH_DEFL_END: 0 to reboot, 1 to stay in the stub.</summary>
public sealed record FlashDeflEndCommand(bool Reboot) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.FlashDeflEnd;

    public override void WriteData(IBufferWriter<byte> writer) => WriteUInt32(writer, Reboot ? 0u : 1u);
}
