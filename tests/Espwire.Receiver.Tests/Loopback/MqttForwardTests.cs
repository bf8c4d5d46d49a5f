using System.Net.Sockets;
using System.Text.Json;
using Espwire.Receiver.Sinks;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

public sealed class MqttForwardTests
{
    [Fact]
    public async Task Readings_are_published_as_json_per_device_topic()
    {
        await using var broker = new FakeMqttBroker();
        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = new MqttForwardOptions("127.0.0.1", broker.Port, "lab/readings") });
        await receiver.SendPerMessageAsync("581");
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            await udp.SendToAsync("@id radar-1\nrange=2.5"u8.ToArray(), receiver.Udp);

        var first = await broker.Published.Reader.ReadAsync().AsTask().WaitAsync(TestReceiver.Patience);
        var second = await broker.Published.Reader.ReadAsync().AsTask().WaitAsync(TestReceiver.Patience);
        var byTopic = new[] { first, second }.ToDictionary(p => p.Topic, p => p.Payload);
        using (var counter = JsonDocument.Parse(byTopic["lab/readings/127.0.0.1"]))
            Assert.Equal("581", counter.RootElement.GetProperty("raw").GetString());
        using (var radar = JsonDocument.Parse(byTopic["lab/readings/radar-1"]))
            Assert.Equal(2.5, radar.RootElement.GetProperty("values").GetProperty("range").GetDouble());
        Assert.Equal(2, receiver.Host.MqttForwarder!.Forwarded);
    }

    [Fact]
    public async Task A_missing_broker_is_a_startup_error_that_names_it()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            port = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port; // closed again: nothing listens there
        }
        var error = await Assert.ThrowsAsync<IOException>(() => TestReceiver.StartAsync(o => o with { Mqtt = new MqttForwardOptions("127.0.0.1", port) }));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }
}
