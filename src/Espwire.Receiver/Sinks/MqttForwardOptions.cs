namespace Espwire.Receiver.Sinks;

/// <summary>Where <see cref="MqttForwardSink"/> publishes: each reading as JSON to <c>{TopicPrefix}/{device}</c>.</summary>
public sealed record MqttForwardOptions(string Host, int Port = 1883, string TopicPrefix = "espwire/readings");
