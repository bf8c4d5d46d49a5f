namespace Espwire.At;

/// <summary>How <see cref="AtModule"/> sets the module up.</summary>
public sealed record AtModuleOptions
{
    public AtChannelOptions Channel { get; init; } = new();

    /// <summary>Turn echo off (ATE0) after connecting, as WiFiEspAT does; fewer bytes on a slow line.</summary>
    public bool EchoOff { get; init; } = true;

    /// <summary>Use passive receive (AT+CIPRECVMODE=1) for TCP links, so nothing is lost at 115200.</summary>
    public bool PassiveReceive { get; init; } = true;

    // The defaults are the catalogue's; a caller on a slow network may allow more.
    public TimeSpan JoinTimeout { get; init; } = Commands.CommandCatalogue.Join.Timeout;
    public TimeSpan ScanTimeout { get; init; } = Commands.CommandCatalogue.Scan.Timeout;
    public TimeSpan ConnectTimeout { get; init; } = Commands.CommandCatalogue.Connect.Timeout;
    public TimeSpan PingTimeout { get; init; } = Commands.CommandCatalogue.Ping.Timeout;

    /// <summary>Sees every event from the first byte on (before initialisation), for logs and debugging.</summary>
    public Action<Reader.AtEvent>? Trace { get; init; }
}
