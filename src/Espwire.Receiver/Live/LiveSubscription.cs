using System.Threading.Channels;

namespace Espwire.Receiver.Live;

/// <summary>What <see cref="LiveHub.Subscribe"/> hands back: the missed readings, whether they are all, and the live ones.</summary>
public sealed record LiveSubscription(IReadOnlyList<LiveEvent> Replay, bool Complete, ChannelReader<LiveEvent> Live);
