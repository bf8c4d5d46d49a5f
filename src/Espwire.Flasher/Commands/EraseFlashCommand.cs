using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>ERASE_FLASH: the whole chip (stub).</summary>
public sealed record EraseFlashCommand : BootloaderCommand
{
    public override Opcode Opcode => Opcode.EraseFlash;

    // esptool's CHIP_ERASE_TIMEOUT.
    public override TimeSpan Timeout => TimeSpan.FromSeconds(120);

    public override void WriteData(IBufferWriter<byte> writer)
    {
    }
}
