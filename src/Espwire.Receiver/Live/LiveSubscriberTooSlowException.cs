namespace Espwire.Receiver.Live;

/// <summary>A stream's reader fell more than <see cref="LiveHub.SubscriberBacklog"/> readings behind.</summary>
public sealed class LiveSubscriberTooSlowException() : Exception("The live stream fell too far behind and was ended; reconnect to resume.");
