using System.Diagnostics.CodeAnalysis;

namespace Espwire.Protocol.At;

/// <summary>
/// One network as a <c>+CWLAP</c> line carries it: ssid, ecn, rssi, bssid, channel. The driver parses these lines
/// into it; the emulator's world extends it with what only the world knows (password, band, DHCP server).
/// </summary>
public record AccessPoint
{
    public AccessPoint()
    {
    }

    [SetsRequiredMembers]
    public AccessPoint(string ssid, Security security, int rssi, string bssid, int channel)
    {
        Ssid = ssid;
        Security = security;
        Rssi = rssi;
        Bssid = bssid;
        Channel = channel;
    }

    public required string Ssid { get; init; }

    public Security Security { get; init; } = Security.Wpa2Psk;

    /// <summary>Signal strength at the module, dBm.</summary>
    public int Rssi { get; init; } = -60;

    public string Bssid { get; init; } = "00:00:00:00:00:00";

    public int Channel { get; init; } = 1;

    /// <summary>OPEN, WPA2_PSK, ... as the AT reference names the security mode.</summary>
    public string SecurityName => Security.Name();
}
