using Espwire.Flasher.Commands;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Errors;

namespace Espwire.Flasher.Chip;

/// <summary>Reads chip facts through READ_REG/WRITE_REG, which both the ROM and the stub answer.</summary>
public static class ChipDetector
{
    public static async Task<uint> ReadRegAsync(BootloaderConnection connection, uint address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var reply = await connection.ExecuteWithRetryAsync(new ReadRegCommand(address), 3, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.Value;
    }

    public static Task WriteRegAsync(BootloaderConnection connection, uint address, uint value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.ExecuteWithRetryAsync(new WriteRegCommand(address, value), 3, cancellationToken: cancellationToken);
    }

    /// <summary>Checks the magic register and reads name, features, crystal and MAC; the flash id too when asked.</summary>
    public static async Task<ChipInfo> DetectAsync(BootloaderConnection connection, int hostBaudRate, bool readFlashId = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var magic = await ReadRegAsync(connection, Esp8266.ChipDetectMagicAddress, cancellationToken).ConfigureAwait(false);
        if (magic != Esp8266.ChipMagic)
            throw new FlasherException(
                $"This is not an ESP8266: the magic register reads 0x{magic:X8}, an ESP8266 answers 0x{Esp8266.ChipMagic:X8}.",
                "Espwire flashes ESP8266 modules (ESP-12F, ESP-01). For ESP32-family chips use esptool.");
        var efuses = new uint[4];
        uint[] addresses = [Esp8266.Efuse0, Esp8266.Efuse1, Esp8266.Efuse2, Esp8266.Efuse3];
        for (var i = 0; i < 4; i++) efuses[i] = await ReadRegAsync(connection, addresses[i], cancellationToken).ConfigureAwait(false);
        var divisor = await ReadRegAsync(connection, Esp8266.UartClockDivAddress, cancellationToken).ConfigureAwait(false) & Esp8266.UartClockDivMask;
        FlashId? flash = null;
        if (readFlashId) flash = await SpiFlashCommands.ReadIdAsync(connection, cancellationToken).ConfigureAwait(false);
        return new ChipInfo(ChipName(efuses), ["WiFi"], Crystal(divisor, hostBaudRate), FormatMac(Mac(efuses)), flash) { Efuses = efuses };
    }

    /// <summary>ESP8285 (flash in package) when efuse bit 4 of word 2 or bit 80 (word 2 bit 16) is set.</summary>
    public static string ChipName(IReadOnlyList<uint> efuses)
    {
        ArgumentNullException.ThrowIfNull(efuses);
        var is8285 = (efuses[0] & (1u << 4)) != 0 || (efuses[2] & (1u << 16)) != 0;
        return is8285 ? "ESP8285" : "ESP8266EX";
    }

    /// <summary>The crystal the ROM's baud divisor implies, rounded to the 26 or 40 MHz parts that exist.</summary>
    public static int Crystal(uint divisor, int hostBaudRate)
    {
        var estimate = divisor * (double)hostBaudRate / 1e6 / Esp8266.CrystalClockDivider;
        return estimate > 33 ? 40 : 26;
    }

    /// <summary>The station MAC from the efuses, as esptool derives it.</summary>
    public static byte[] Mac(IReadOnlyList<uint> efuses)
    {
        ArgumentNullException.ThrowIfNull(efuses);
        byte[] oui;
        if (efuses[3] != 0)
            oui = [(byte)(efuses[3] >> 16), (byte)(efuses[3] >> 8), (byte)efuses[3]];
        else
        {
            var which = (efuses[1] >> 16) & 0xFF;
            if (which > 1)
                throw new FlasherException($"Unknown OUI selector {which} in the efuses.", "The chip's efuses are unusual; report the efuse words (espwire flash info --json).");
            oui = Esp8266.DefaultOuis[which];
        }
        return [oui[0], oui[1], oui[2], (byte)(efuses[1] >> 8), (byte)efuses[1], (byte)(efuses[0] >> 24)];
    }

    public static string FormatMac(ReadOnlySpan<byte> mac) => string.Join(':', mac.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
