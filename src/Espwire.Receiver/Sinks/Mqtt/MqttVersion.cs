namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The MQTT protocol level the forwarder speaks.</summary>
public enum MqttVersion
{
    V311 = 4,
    V5 = 5,
}
