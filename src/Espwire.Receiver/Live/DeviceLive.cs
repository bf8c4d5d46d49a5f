using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Live;

/// <summary>A device as the live hub sees it now: style, readings since the receiver started, rate, newest reading.</summary>
public sealed record DeviceLive(string Device, TransportStyle Style, long Count, double ReadingsPerSecond, Reading Last);
