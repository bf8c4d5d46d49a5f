using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Live;

/// <summary>A stored reading as the live stream numbers it: <see cref="Id"/> is the server-sent event id, rising by
/// one per reading; it starts at the receiver's start time in microseconds, so a restarted receiver's ids are above
/// the ones a page saw before.</summary>
public sealed record LiveEvent(long Id, Reading Reading);
