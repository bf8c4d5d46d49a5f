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

    /// <summary>Reads 4 bytes of the flash's SFDP table (JESD216) at <paramref name="address"/>; "SFDP" at 0 means it has one.</summary>
    public static Task<uint> ReadSfdpAsync(BootloaderConnection connection, uint address, CancellationToken cancellationToken = default)
        => RunAsync(connection, Esp8266.FlashReadSfdp, readBits: 32, cancellationToken, address24: address, dummyCycles: 8);

    /// <summary>
    /// Runs <paramref name="command"/> with no data out and up to 32 bits in; returns W0. With <paramref name="address24"/>
    /// the controller sends a 24-bit address (MSB-aligned in SPI_ADDR) and <paramref name="dummyCycles"/> dummy clocks first.
    /// </summary>
    public static async Task<uint> RunAsync(BootloaderConnection connection, byte command, int readBits, CancellationToken cancellationToken = default, uint? address24 = null, int dummyCycles = 0)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (readBits is < 0 or > 32) throw new ArgumentOutOfRangeException(nameof(readBits), "W0 holds at most 32 bits.");
        var oldUsr = await ChipDetector.ReadRegAsync(connection, Esp8266.SpiUsr, cancellationToken).ConfigureAwait(false);
        var oldUsr2 = await ChipDetector.ReadRegAsync(connection, Esp8266.SpiUsr2, cancellationToken).ConfigureAwait(false);
        var misoMask = readBits == 0 ? 0u : (uint)readBits - 1;
        var usr1 = misoMask << Esp8266.SpiUsr1MisoShift;
        var flags = Esp8266.SpiUsrCommand | (readBits > 0 ? Esp8266.SpiUsrMiso : 0);
        if (address24 is { } a)
        {
            usr1 |= 23u << Esp8266.SpiUsr1AddrShift;
            flags |= Esp8266.SpiUsrAddr;
            await ChipDetector.WriteRegAsync(connection, Esp8266.SpiAddr, (a & 0xFFFFFF) << 8, cancellationToken).ConfigureAwait(false);
        }
        if (dummyCycles > 0)
        {
            usr1 |= (uint)(dummyCycles - 1) & 0xFF;
            flags |= Esp8266.SpiUsrDummy;
        }
        await ChipDetector.WriteRegAsync(connection, Esp8266.SpiUsr1, usr1, cancellationToken).ConfigureAwait(false);
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
