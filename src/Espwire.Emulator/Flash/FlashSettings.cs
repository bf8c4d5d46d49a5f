using Espwire.Emulator.World;

namespace Espwire.Emulator.Flash;

/// <summary>The AT firmware's settings as saved in flash (the _DEF forms, CWAUTOCONN, the joined network).</summary>
public sealed record FlashSettings
{
    /// <summary>1 station, 2 SoftAP, 3 both.</summary>
    public int WifiMode { get; init; } = 1;

    public bool AutoConnect { get; init; } = true;

    /// <summary>The network to rejoin after a reset; null when none is saved.</summary>
    public string? Ssid { get; init; }

    public string? Password { get; init; }

    public bool StationDhcp { get; init; } = true;

    public bool SoftApDhcp { get; init; } = true;

    /// <summary>Static station address set with AT+CIPSTA; null uses DHCP.</summary>
    public string? StaticIp { get; init; }

    public string? StaticGateway { get; init; }

    public string? StaticNetmask { get; init; }

    public int UartBaud { get; init; } = 115200;

    public int UartDataBits { get; init; } = 8;

    public int UartStopBits { get; init; } = 1;

    public int UartParity { get; init; }

    public int UartFlowControl { get; init; }

    /// <summary>ESP-AT 2.x AT+SYSSTORE: whether setting commands also save to flash.</summary>
    public bool SysStore { get; init; } = true;

    /// <summary>The factory settings for a world (station DHCP as the world says).</summary>
    public static FlashSettings Factory(WifiWorld world) => new() { StationDhcp = world.StationDhcpAtStart };
}
