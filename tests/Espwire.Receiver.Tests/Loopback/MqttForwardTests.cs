using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using MQTTnet;
using Espwire.Receiver.Sinks;
using Espwire.Receiver.Sinks.Mqtt;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

public sealed class MqttForwardTests
{
    [Fact]
    public async Task Readings_are_published_as_json_per_device_topic()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var subscriber = await broker.ConnectClientAsync("espwire-test-subscriber");
        var published = Channel.CreateUnbounded<(string Topic, byte[] Payload)>();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            published.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter("lab/readings/+").Build()).WaitAsync(TestReceiver.Patience);

        // A topic without {device} is a prefix (the old --mqtt-topic form): lab/readings/DEVICE.
        await using var receiver = await TestReceiver.StartAsync(o => o with
        {
            Mqtt = new MqttForwardOptions("127.0.0.1", broker.Port, "lab/readings") { ClientId = "espwire-test-json" },
        });
        await receiver.SendPerMessageAsync("581");
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            await udp.SendToAsync("@id radar-1\nrange=2.5"u8.ToArray(), receiver.Udp);
        await receiver.WaitForStoredAsync(2);

        var actual = new Dictionary<string, string>();
        for (var i = 0; i < 2; i++)
        {
            var (topic, payload) = await published.Reader.ReadAsync().AsTask().WaitAsync(TestReceiver.Patience);
            actual.Add(topic, Encoding.UTF8.GetString(payload));
        }
        // The golden payloads, written out here; only the arrival times come from the database.
        var counterAt = Time(await receiver.ScalarAsync("SELECT received_at_us FROM readings WHERE device = '127.0.0.1'"));
        var radarAt = Time(await receiver.ScalarAsync("SELECT received_at_us FROM readings WHERE device = 'radar-1'"));
        Assert.Equal(new Dictionary<string, string>
        {
            ["lab/readings/127.0.0.1"] = "{\"device\":\"127.0.0.1\",\"seq\":1,\"received_at\":\"" + counterAt +
                "\",\"transport\":\"tcp\",\"raw\":\"581\",\"format\":\"number\",\"values\":{\"value\":581}}",
            ["lab/readings/radar-1"] = "{\"device\":\"radar-1\",\"seq\":1,\"received_at\":\"" + radarAt +
                "\",\"transport\":\"udp\",\"raw\":\"range=2.5\",\"format\":\"kv\",\"values\":{\"range\":2.5}}",
        }, actual);
        await WaitForForwardedAsync(receiver, 2);
        await subscriber.DisconnectAsync();
    }

    [Fact]
    public async Task Mqtts_with_the_brokers_ca_forwards_every_reading_over_tls()
    {
        await using var broker = await MosquittoBroker.StartAsync(tls: true);
        await using var receiver = await TestReceiver.StartAsync(o => o with
        {
            Mqtt = new MqttForwardOptions("127.0.0.1", broker.Port) { Tls = true, CaFile = broker.CaFile, ClientId = "espwire-test-tls" },
        });
        Assert.True(receiver.Host.MqttForwarder!.Connected);
        for (var i = 0; i < 3; i++) await receiver.SendPerMessageAsync($"{580 + i}");
        await receiver.WaitForStoredAsync(3);
        // QoS 1: counted as forwarded only on the broker's PUBACK, which came over TLS.
        await WaitForForwardedAsync(receiver, 3);
    }

    [Fact]
    public async Task Mqtts_without_the_ca_is_refused_at_start_with_the_option_that_fixes_it()
    {
        await using var broker = await MosquittoBroker.StartAsync(tls: true);
        var options = new MqttForwardOptions("127.0.0.1", broker.Port) { Tls = true, ClientId = "espwire-test-tls-untrusted" };
        var refused = await Assert.ThrowsAsync<MqttBrokerRejectedException>(async () =>
        {
            await using var sink = await MqttForwardSink.StartAsync(options, null).WaitAsync(TestReceiver.Patience);
        });
        Assert.StartsWith($"TLS with the MQTT broker at mqtts://127.0.0.1:{broker.Port} failed: ", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check the host name against its certificate, and give its CA with --mqtt-ca FILE.", refused.Message, StringComparison.Ordinal);
    }

    private static string Time(long micros) =>
        new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitForForwardedAsync(TestReceiver receiver, long count)
    {
        // The PUBACK can come a moment after the subscriber saw the message: poll with a ceiling.
        await Espwire.Testing.Eventually.UntilAsync(() => receiver.Host.MqttForwarder!.Forwarded >= count, $"{count} readings forwarded");
        Assert.Equal(count, receiver.Host.MqttForwarder!.Forwarded);
    }
}
