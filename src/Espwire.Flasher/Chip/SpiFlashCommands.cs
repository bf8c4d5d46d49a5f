using Espwire.Flasher.Connection;
using Espwire.Flasher.Errors;

namespace Espwire.Flasher.Chip;

/// <summary>
/// Runs SPI flash commands through the SPI0 user-command registers with READ_REG/WRITE_REG, which is how a flasher
/// reads the flash id while only the ROM runs (esptool's run_spiflash_command).
/// </summary>
public static class SpiFlashCommands
{
    public static async Task<FlashId> ReadIdAsync(BootloaderConnection connection, CancellationToken cancellationToken = default)
        => new(await RunAsync(connection, Esp8266.FlashReadId, readBits: 24, cancellationToken).ConfigureAwait(false) & 0xFFFFFF);

    /// <summary>Runs <paramref name="command"/> with no data out and up to 32 bits in; returns W0.</summary>
    public static async Task<uint> RunAsync(BootloaderConnection connection, byte command, int readBits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (readBits is < 0 or > 32) throw new ArgumentOutOfRangeException(nameof(readBits), "W0 holds at most 32 bits.");
        var oldUsr = await ChipDetector.ReadRegAsync(connection, Esp8266.SpiUsr, cancellationToken).ConfigureAwait(false);
        var oldUsr2 = await ChipDetector.ReadRegAsync(connection, Esp8266.SpiUsr2, cancellationToken).ConfigureAwait(false);
        var misoMask = readBits == 0 ? 0u : (uint)readBits - 1;
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiUsr1, misoMask << Esp8266.SpiUsr1MisoShift, cancellationToken).ConfigureAwait(false);
        var flags = Esp8266.SpiUsrCommand | (readBits > 0 ? Esp8266.SpiUsrMiso : 0);
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiUsr, flags, cancellationToken).ConfigureAwait(false);
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiUsr2, (7u << 28) | command, cancellationToken).ConfigureAwait(false);
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiW0, 0, cancellationToken).ConfigureAwait(false);
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiCmd, Esp8266.SpiCmdUsr, cancellationToken).ConfigureAwait(false);
        var done = false;
        for (var i = 0; i < 10 && !done; i++)
            done = (await ChipDetector.ReadRegAsync(connection, Esp8266.SpiCmd, cancellationToken).ConfigureAwait(false) & Esp8266.SpiCmdUsr) == 0;
        if (!done)
            throw new FlasherException($"The SPI flash command 0x{command:X2} did not complete.", "The flash chip does not respond: check the module's flash (GPIO6-11 must be free) and the 3.3 V supply.");
        var result = await ChipDetector.ReadRegAsync(connection, Esp8266.SpiW0, cancellationToken).ConfigureAwait(false);
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiUsr, oldUsr, cancellationToken).ConfigureAwait(false);
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiUsr2, oldUsr2, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
