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

    // MQTT forwarding (--mqtt); null when the receiver does not forward.
    /// <summary>Readings stored and not yet acknowledged by the MQTT broker (the outbox's depth).</summary>
    public long? MqttBacklog { get; init; }
    /// <summary>Seconds the oldest reading of the MQTT backlog has waited; 0 when it is empty.</summary>
    public double? MqttBacklogAgeS { get; init; }
    /// <summary>Whether the forwarder is connected to the MQTT broker now.</summary>
    public bool? MqttConnected { get; init; }
}
