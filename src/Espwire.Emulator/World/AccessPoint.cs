namespace Espwire.Emulator.World;

/// <summary>One access point in the virtual world.</summary>
public sealed record AccessPoint
{
    public required string Ssid { get; init; }

    /// <summary>The passphrase; empty for open networks.</summary>
    public string Password { get; init; } = "";

    public Security Security { get; init; } = Security.Wpa2Psk;

    /// <summary>Signal strength at the module, dBm.</summary>
    public int Rssi { get; init; } = -60;

    public int Channel { get; init; } = 1;

    public string Bssid { get; init; } = "00:00:00:00:00:00";

    public Band Band { get; init; } = Band.Ghz24;

    /// <summary>Whether the access point runs a DHCP server for stations.</summary>
    public bool Dhcp { get; init; } = true;
}
