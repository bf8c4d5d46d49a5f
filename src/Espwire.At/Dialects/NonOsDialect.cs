using System.Globalization;

namespace Espwire.At.Dialects;

/// <summary>AT firmware 1.x on the NonOS SDK (1.7.4 is the last). Uses the _CUR forms so nothing is written to flash by accident.</summary>
public sealed class NonOsDialect : IFirmwareDialect
{
    public static readonly NonOsDialect Instance = new();

    public string Name => "1.x NonOS";

    public bool UsesCurrentForms => true;

    // 1.x: AT+CWDHCP=<mode>,<en>, mode 0 SoftAP, 1 station, 2 both.
    public string StationDhcpArguments(bool enabled) => $"1,{(enabled ? 1 : 0)}";

    public bool StationDhcpEnabled(int bits) => (bits & 0b10) != 0;

    public bool TryParsePing(string line, out int? milliseconds)
    {
        milliseconds = null;
        if (line == "+timeout") return true;
        if (line.Length > 1 && line[0] == '+' && int.TryParse(line.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            milliseconds = ms;
            return true;
        }
        return false;
    }
}
