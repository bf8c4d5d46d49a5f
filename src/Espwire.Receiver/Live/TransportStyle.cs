namespace Espwire.Receiver.Live;

/// <summary>How a device talks to the receiver, as the devices table shows it.</summary>
public enum TransportStyle
{
    /// <summary>TCP, but only one reading seen so far: per-message or persistent is not known yet.</summary>
    Tcp = 0,
    /// <summary>A new TCP connection per reading (the seed's sketch): the source port changes every time.</summary>
    PerMessage = 1,
    /// <summary>One TCP connection for many readings: the source port stays.</summary>
    Persistent = 2,
    Udp = 3,
    /// <summary>The device's hello asked for acknowledgements (<c>@id NAME ack</c>, docs/ack-protocol.md).</summary>
    Acked = 4,
}

internal static class TransportStyleNames
{
    public static string Name(this TransportStyle style) => style switch
    {
        TransportStyle.PerMessage => "per-message",
        TransportStyle.Persistent => "persistent",
        TransportStyle.Udp => "UDP",
        TransportStyle.Acked => "acked",
        _ => "TCP",
    };
}
