namespace Espwire.Emulator.World;

/// <summary>How long things take on the real module, in milliseconds, before <c>--time-scale</c>.</summary>
public sealed record Timing
{
    /// <summary>Reset to <c>ready</c>.</summary>
    public int BootMs { get; init; } = 350;

    /// <summary>AT+CWLAP or WiFi.scanNetworks().</summary>
    public int ScanMs { get; init; } = 2100;

    /// <summary>Authentication and association (up to WIFI CONNECTED).</summary>
    public int AssociateMs { get; init; } = 2600;

    /// <summary>DHCP after association (WIFI CONNECTED to WIFI GOT IP).</summary>
    public int DhcpMs { get; init; } = 1700;

    /// <summary>Time a join waits for an address before giving up with +CWJAP:1.</summary>
    public int JoinTimeoutMs { get; init; } = 15000;

    /// <summary>Time to give up on an SSID no scan finds (+CWJAP:3).</summary>
    public int NoApMs { get; init; } = 5200;

    /// <summary>Time to learn a password is wrong (+CWJAP:2).</summary>
    public int WrongPasswordMs { get; init; } = 4100;

    /// <summary>A DNS lookup for a name the world knows.</summary>
    public int DnsMs { get; init; } = 25;

    /// <summary>AT+PING's wait before +timeout.</summary>
    public int PingTimeoutMs { get; init; } = 1000;

    /// <summary>A TCP connect to a host that answers (added to the real loopback connect).</summary>
    public int ConnectMs { get; init; } = 30;
}
