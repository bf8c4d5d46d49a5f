namespace Espwire.Receiver.Server;

/// <summary>What a <see cref="ReceiverNotice"/> is about.</summary>
public enum NoticeKind
{
    Refused = 0,
    Dropped = 1,
    IdleTimeout = 2,
    Reset = 3,
    Error = 4,
    /// <summary>A connection past --max-connections or --max-per-address waits (unread) for a slot.</summary>
    Waiting = 5,
    /// <summary>The store cannot write (disk full, database locked, I/O error): the receiver waits and retries.</summary>
    StoreWaiting = 6,
    /// <summary>The store writes again after <see cref="StoreWaiting"/>.</summary>
    StoreResumed = 7,
    /// <summary>Readings that could not be stored at a stop, and where they went instead.</summary>
    Unwritten = 8,
    /// <summary>MQTT forwarding: the broker gone or back, the backlog drained, best effort without a database.</summary>
    Mqtt = 9,
}
