using System.Text.Json;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;
using Espwire.Receiver.Sinks;

namespace Espwire.Receiver.Live;

/// <summary>What <c>GET /api/stats</c> shows: the receiver's counters (connections, drops by reason, queue depth),
/// store lag, the live stream's subscribers, and the MQTT forwarder's counts when forwarding.</summary>
internal sealed class LiveCounters(ReceiverCore core, LiveHub hub, Func<MqttForwardSink?> mqtt)
{
    public void Write(Utf8JsonWriter writer)
    {
        var stats = core.Snapshot();
        writer.WriteStartObject();
        foreach (var property in JsonSerializer.SerializeToElement(stats, ReadingJson.SerializerOptions).EnumerateObject())
            property.WriteTo(writer);
        // Readings read from sockets but not yet committed: how far the store is behind.
        writer.WriteNumber("store_lag", Math.Max(0, stats.ReadingsReceived - stats.ReadingsStored));
        writer.WriteNumber("stream_subscribers", hub.SubscriberCount);
        writer.WriteNumber("last_event_id", hub.LastId);
        if (mqtt() is { } forwarder)
        {
            writer.WriteStartObject("mqtt");
            writer.WriteNumber("forwarded", forwarder.Forwarded);
            writer.WriteNumber("failed", forwarder.Failed);
            // The outbox (Sinks/MqttForward*) reports its depth here once it has one.
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
