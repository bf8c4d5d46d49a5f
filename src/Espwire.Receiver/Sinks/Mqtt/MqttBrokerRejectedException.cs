namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The broker answered and refused this receiver (credentials, client id, protocol version, TLS trust):
/// a setting to fix, unlike an unreachable broker, which the forwarder waits out.</summary>
public sealed class MqttBrokerRejectedException(string message, Exception? inner = null) : IOException(message, inner);
