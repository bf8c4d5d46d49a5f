using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Espwire.Receiver.Tests.Support;

/// <summary>Just enough of an MQTT 3.1.1 broker (spec sections 2-3) to see what a client publishes at QoS 0:
/// answers CONNECT with CONNACK and PINGREQ with PINGRESP, and reports each PUBLISH's topic and payload.</summary>
internal sealed class FakeMqttBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeMqttBroker()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Channel<(string Topic, string Payload)> Published { get; } = Channel.CreateUnbounded<(string, string)>();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (true)
            {
                var header = new byte[1];
                if (await stream.ReadAsync(header, _stop.Token) == 0) return;
                var length = 0;
                for (var shift = 0; ; shift += 7)
                {
                    var b = new byte[1];
                    await stream.ReadExactlyAsync(b, _stop.Token);
                    length |= (b[0] & 0x7F) << shift;
                    if ((b[0] & 0x80) == 0) break;
                }
                var body = new byte[length];
                await stream.ReadExactlyAsync(body, _stop.Token);
                switch (header[0] >> 4)
                {
                    case 1: // CONNECT -> CONNACK, session not present, accepted
                        await stream.WriteAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }, _stop.Token);
                        break;
                    case 3: // PUBLISH, QoS 0: topic length, topic, payload
                        var topicLength = (body[0] << 8) | body[1];
                        var topic = Encoding.UTF8.GetString(body, 2, topicLength);
                        var payload = Encoding.UTF8.GetString(body, 2 + topicLength, body.Length - 2 - topicLength);
                        await Published.Writer.WriteAsync((topic, payload));
                        break;
                    case 12: // PINGREQ -> PINGRESP
                        await stream.WriteAsync(new byte[] { 0xD0, 0x00 }, _stop.Token);
                        break;
                    case 14: // DISCONNECT
                        return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
