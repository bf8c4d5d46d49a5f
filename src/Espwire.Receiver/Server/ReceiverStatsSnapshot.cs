namespace Espwire.Receiver.Server;

/// <summary>The receiver's counters at one moment. Every limit and every kind of bad input has one.</summary>
public sealed record ReceiverStatsSnapshot
{
    public long ConnectionsAccepted { get; init; }
    public long ConnectionsOpen { get; init; }
    public long RefusedNotAllowed { get; init; }
    public long RefusedTooManyConnections { get; init; }
    public long RefusedTooManyFromAddress { get; init; }
    public long IdleTimeouts { get; init; }
    public long ConnectionResets { get; init; }
    public long UdpDatagrams { get; init; }
    public long ReadingsReceived { get; init; }
    public long ReadingsStored { get; init; }
    public long ReadingsQueued { get; init; }
    public long PartialLines { get; init; }
    public long EmptyLines { get; init; }
    public long LinesTooLong { get; init; }
    public long LinesInvalidUtf8 { get; init; }
    public long LinesBinary { get; init; }
    /// <summary>Times a socket reader waited because the queue was full (backpressure, not loss).</summary>
    public long QueueFullWaits { get; init; }
    /// <summary>Connections past --max-connections / --max-per-address waiting, unread, for a slot right now.</summary>
    public long ConnectionsWaiting { get; init; }
    /// <summary>Connections that had to wait for a slot (none is refused for the limits; they wait).</summary>
    public long ConnectionsWaited { get; init; }
    /// <summary><c>@id NAME ack</c> hellos received (docs/ack-protocol.md).</summary>
    public long Hellos { get; init; }
    /// <summary>Lines starting with <c>#</c> that are not <c>#SEQ PAYLOAD</c>: stored as plain readings, never acknowledged.</summary>
    public long MalformedSeq { get; init; }
    /// <summary><c>#SEQ</c> readings at or below the device's highest stored seq: acknowledged, not stored again.</summary>
    public long Duplicates { get; init; }
    public long AcksSent { get; init; }
    public long NaksSent { get; init; }
    /// <summary>Failed store writes retried (disk full, database locked, I/O error).</summary>
    public long StoreRetries { get; init; }
    /// <summary>The store cannot write right now: sockets are not read until it can.</summary>
    public bool StoreFailing { get; init; }
    /// <summary>Readings a stop could not write to the store (saved to a JSON-lines file if possible).</summary>
    public long ReadingsUnwritten { get; init; }

    // MQTT forwarding (--mqtt); null when the receiver does not forward.
    /// <summary>Readings stored and not yet acknowledged by the MQTT broker (the outbox's depth).</summary>
    public long? MqttBacklog { get; init; }
    /// <summary>Seconds the oldest reading of the MQTT backlog has waited; 0 when it is empty.</summary>
    public double? MqttBacklogAgeS { get; init; }
    /// <summary>Whether the forwarder is connected to the MQTT broker now.</summary>
    public bool? MqttConnected { get; init; }
}
