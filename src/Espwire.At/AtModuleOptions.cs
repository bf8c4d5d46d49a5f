namespace Espwire.At;

/// <summary>How <see cref="AtModule"/> sets the module up.</summary>
public sealed record AtModuleOptions
{
    public AtChannelOptions Channel { get; init; } = new();

    /// <summary>Turn echo off (ATE0) after connecting, as WiFiEspAT does; fewer bytes on a slow line.</summary>
    public bool EchoOff { get; init; } = true;

    /// <summary>Use passive receive (AT+CIPRECVMODE=1) for TCP links, so nothing is lost at 115200.</summary>
    public bool PassiveReceive { get; init; } = true;

    /// <summary>A join may take 15 s on 2.x (its default) and longer on 1.x.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(25);

    public TimeSpan ScanTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sees every event from the first byte on (before initialisation), for logs and debugging.</summary>
    public Action<Reader.AtEvent>? Trace { get; init; }
}
