namespace Espwire.Ports;

/// <summary>How to open a device link. Defaults are the seed's: 115200 baud, 8N1.</summary>
public sealed record LinkOptions
{
    public int BaudRate { get; init; } = 115200;

    /// <summary>Time allowed to connect a socket:// or rfc2217:// link.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Initial DTR/RTS state for serial ports (asserted = true). Null leaves the driver's default.</summary>
    public bool? Dtr { get; init; }
    public bool? Rts { get; init; }
}
