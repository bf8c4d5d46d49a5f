using System.Globalization;

namespace Espwire.At.Dialects;

/// <summary>ESP-AT 2.x (2.1, 2.2 for ESP8266). No _CUR forms; storage follows AT+SYSSTORE.</summary>
public sealed class EspAtDialect : IFirmwareDialect
{
    public static readonly EspAtDialect Instance = new();

    public string Name => "2.x ESP-AT";

    public bool UsesCurrentForms => false;

    // 2.x: AT+CWDHCP=<operate 0 disable|1 enable>,<mode bitmask: bit0 station, bit1 SoftAP>.
    public string StationDhcpArguments(bool enabled) => $"{(enabled ? 1 : 0)},1";

    public bool StationDhcpEnabled(int bits) => (bits & 0b01) != 0;

    public bool TryParsePing(string line, out int? milliseconds)
    {
        milliseconds = null;
        if (!line.StartsWith("+PING:", StringComparison.Ordinal)) return false;
        var value = line.AsSpan(6);
        if (value.Equals("TIMEOUT", StringComparison.OrdinalIgnoreCase)) return true;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) milliseconds = ms;
        return true;
    }
}
