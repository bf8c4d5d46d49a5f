namespace Espwire.Receiver.Server;

/// <summary>What a <see cref="ReceiverNotice"/> is about.</summary>
public enum NoticeKind
{
    Refused = 0,
    Dropped = 1,
    IdleTimeout = 2,
    Reset = 3,
    Error = 4,
    /// <summary>MQTT forwarding: the broker gone or back, the backlog drained, best effort without a database.</summary>
    Mqtt = 5,
}
