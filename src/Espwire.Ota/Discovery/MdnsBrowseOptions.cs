using System.Net;

namespace Espwire.Ota.Discovery;

/// <summary>Where to ask and how long to listen.</summary>
public sealed record MdnsBrowseOptions
{
    /// <summary>The mDNS group and port.</summary>
    public static readonly IPEndPoint MulticastGroup = new(IPAddress.Parse("224.0.0.251"), 5353);

    /// <summary>Where the query goes: the mDNS group by default, or one responder's unicast address
    /// (RFC 6762 §5.5 and §6.7: a one-shot query from a port other than 5353 is answered by unicast).</summary>
    public IPEndPoint Target { get; init; } = MulticastGroup;

    /// <summary>The local address to send from (the interface for a multicast query); null lets the system choose.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>How long answers are collected; responders delay their answers by 20-120 ms, so 1-3 s is usual.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Stop as soon as this many devices have answered; null listens for the whole window.</summary>
    public int? StopAfter { get; init; }

    /// <summary>The query is sent this many times, spread over the window (UDP may lose one).</summary>
    public int Queries { get; init; } = 2;
}
