namespace Espwire.Receiver.Sinks;

/// <summary>What the store knows of one device: how many readings, when first and last seen, and its newest line.</summary>
public sealed record DeviceSummary(string Device, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    string LastRaw, string LastRemote, string LastTransport);
