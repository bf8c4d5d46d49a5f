using Espwire.Receiver.Sinks.Mqtt;

namespace Espwire.Receiver.Sinks;

/// <summary>Where and how <see cref="MqttForwardSink"/> publishes. With a database, forwarding is at least once from
/// the store (an outbox cursor that advances on PUBACK); without one, best effort from memory.</summary>
/// <param name="Host">Broker host name or address.</param>
/// <param name="Port">Broker port: 1883 for mqtt://, 8883 for mqtts://.</param>
/// <param name="Topic">Reading topic template; <c>{device}</c> is replaced by the device, escaped for topic rules.
/// A template without <c>{device}</c> is a prefix: <c>PREFIX/{device}</c>.</param>
public sealed record MqttForwardOptions(string Host, int Port = 1883, string Topic = MqttForwardOptions.DefaultTopic)
{
    public const string DefaultTopic = "espwire/{device}/reading";

    /// <summary>TLS (mqtts://). <see cref="CaFile"/> adds a trust anchor (PEM); without it the system's store is used.</summary>
    public bool Tls { get; init; }

    public string? CaFile { get; init; }

    /// <summary>0 (at most once) or 1 (at least once, the default).</summary>
    public int Qos { get; init; } = 1;

    /// <summary>The MQTT client id, also the outbox cursor's key. Keep it stable per receiver: the broker's session
    /// and the cursor follow it. Null: <c>espwire-HOSTNAME-PORT</c> (see <see cref="DefaultClientId"/>).</summary>
    public string? ClientId { get; init; }

    public string? User { get; init; }

    public string? Password { get; init; }

    public MqttVersion Version { get; init; } = MqttVersion.V5;

    /// <summary>Publish Home Assistant MQTT discovery configs for each device's numeric values.</summary>
    public bool HomeAssistantDiscovery { get; init; }

    /// <summary>Publishes awaiting their PUBACK at once, status messages included. Keep it at or below the broker's
    /// receive maximum (Mosquitto's max_inflight_messages, 20 by default), as mosquitto_pub does.</summary>
    public int InFlight { get; init; } = 20;

    /// <summary>How long the broker keeps the session (and what it queued for it) while the receiver is away.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Readings kept in memory for the broker without a database (<c>--no-db</c>); older ones are dropped, counted.</summary>
    public int MemoryCapacity { get; init; } = 100_000;

    /// <summary>A device's retained status turns offline after this long without a reading.</summary>
    public TimeSpan DeviceOfflineAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>On a clean stop, how long to keep forwarding the backlog before closing (the rest waits in the store).</summary>
    public TimeSpan DrainOnStop { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a broker that stays away is reported.</summary>
    public TimeSpan OutageReportInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>espwire-HOSTNAME-PORT</c>: stable across restarts of the same receiver, distinct per listen port.</summary>
    public static string DefaultClientId(int listenPort) => $"espwire-{Environment.MachineName}-{listenPort}";

    /// <summary>The broker as a URI for messages: mqtt://host:port or mqtts://host:port.</summary>
    public string BrokerUri => $"{(Tls ? "mqtts" : "mqtt")}://{(Host.Contains(':') ? "[" + Host + "]" : Host)}:{Port}";
}
