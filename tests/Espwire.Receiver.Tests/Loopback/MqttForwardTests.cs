using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Sinks;
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
            .WithTopicFilter("lab/readings/#").Build()).WaitAsync(TestReceiver.Patience);

        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = new MqttForwardOptions("127.0.0.1", broker.Port, "lab/readings") });
        // The JSON the receiver should have forwarded, from the readings as stored (device, seq, time, endpoint).
        var stored = Channel.CreateUnbounded<Reading>();
        receiver.Host.ReadingStored += r => stored.Writer.TryWrite(r);
        await receiver.SendPerMessageAsync("581");
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            await udp.SendToAsync("@id radar-1\nrange=2.5"u8.ToArray(), receiver.Udp);

        var expected = new Dictionary<string, byte[]>();
        for (var i = 0; i < 2; i++)
        {
            var reading = await stored.Reader.ReadAsync().AsTask().WaitAsync(TestReceiver.Patience);
            expected["lab/readings/" + reading.Device] = Encoding.UTF8.GetBytes(ReadingJson.ToJson(reading));
        }
        var actual = new Dictionary<string, byte[]>();
        for (var i = 0; i < 2; i++)
        {
            var (topic, payload) = await published.Reader.ReadAsync().AsTask().WaitAsync(TestReceiver.Patience);
            actual.Add(topic, payload);
        }
        Assert.Equal(["lab/readings/127.0.0.1", "lab/readings/radar-1"], actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (topic, payload) in actual) Assert.Equal(Encoding.UTF8.GetString(expected[topic]), Encoding.UTF8.GetString(payload));
        using (var counter = JsonDocument.Parse(actual["lab/readings/127.0.0.1"]))
            Assert.Equal("581", counter.RootElement.GetProperty("raw").GetString());
        using (var radar = JsonDocument.Parse(actual["lab/readings/radar-1"]))
            Assert.Equal(2.5, radar.RootElement.GetProperty("values").GetProperty("range").GetDouble());
        Assert.Equal(2, receiver.Host.MqttForwarder!.Forwarded);
        await subscriber.DisconnectAsync();
    }

    [Fact]
    public async Task A_missing_broker_is_a_startup_error_that_names_it()
    {
        // A port that is ours for the whole test but does not listen: connecting to it is refused, and nothing
        // else can take it meanwhile (binding port 0 and reading it back, no probing for a free port).
        using var held = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        held.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)held.LocalEndPoint!).Port;
        var error = await Assert.ThrowsAsync<IOException>(() => TestReceiver.StartAsync(o => o with { Mqtt = new MqttForwardOptions("127.0.0.1", port) }));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }
}
