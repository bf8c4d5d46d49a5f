using System.Globalization;
using Espwire.Protocol.At;

namespace Espwire.At.Wifi;

/// <summary>Reads the access points out of AT+CWLAP's reply lines.</summary>
public static class ScanLine
{
    /// <summary>Parses a <c>+CWLAP:(3,"ssid",-87,"98:1e:19:a4:94:92",1,...)</c> line; null if it is not one.</summary>
    public static AccessPoint? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith("+CWLAP:", StringComparison.Ordinal)) return null;
        var value = line[7..].Trim();
        if (value.StartsWith('(') && value.EndsWith(')')) value = value[1..^1];
        var f = AtText.Fields(value);
        if (f.Count < 5) return null;
        if (!int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ecn)) return null;
        if (!int.TryParse(f[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rssi)) return null;
        if (!int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var channel)) return null;
        return new AccessPoint(f[1], (Security)ecn, rssi, f[3], channel);
    }
}
