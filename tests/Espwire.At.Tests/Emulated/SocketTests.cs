using Espwire.Testing;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.At.Commands;
using Espwire.Emulator;

namespace Espwire.At.Tests.Emulated;

/// <summary>TCP server with accepted connections, UDP, close notices, and the seed's one-reading-per-connection client.</summary>
public class SocketTests
{
    private static CancellationToken Timeout => TestTimeouts.Ceiling(TestTimeouts.Seconds(60));

    [Theory]
    [MemberData(nameof(EmulatedModule.All), MemberType = typeof(EmulatedModule))]
    public async Task Server_accepts_a_client_and_talks_both_ways(FirmwareDialect dialect, Transport transport)
    {
        var ct = Timeout;
        await using var m = await EmulatedModule.StartAsync(dialect, transport);
        Assert.True((await m.At.Wifi.JoinAsync("iptime", "admin", null, ct)).Success);
        await using var server = await m.At.Links.ListenAsync(3333, ct);
        var endpoint = Assert.IsType<IPEndPoint>(m.Module.ServerEndpoint);
        Assert.True(IPAddress.IsLoopback(endpoint.Address));

        using var client = new TcpClient();
        await client.ConnectAsync(endpoint, ct);
        await using var accepted = await server.AcceptAsync(ct);
        Assert.True(accepted.Accepted);

        await client.GetStream().WriteAsync("581\r\n"u8.ToArray(), ct);
        var buffer = new byte[64];
        var got = new StringBuilder();
        while (got.Length < 5)
        {
            var n = await accepted.ReadAsync(buffer, ct);
            Assert.NotEqual(0, n);
            got.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        Assert.Equal("581\r\n", got.ToString());

        await accepted.WriteAsync("ack\n"u8.ToArray(), ct);
        var reply = new byte[4];
        await client.GetStream().ReadExactlyAsync(reply, ct);
        Assert.Equal("ack\n", Encoding.ASCII.GetString(reply));

        client.Close();
        Assert.Equal(0, await accepted.ReadAsync(buffer, ct)); // n,CLOSED ends the stream
        Assert.True(accepted.IsClosed);
    }

    [Theory]
    [MemberData(nameof(EmulatedModule.Dialects), MemberType = typeof(EmulatedModule))]
    public async Task The_seeds_client_a_new_connection_per_reading(FirmwareDialect dialect)
    {
        var ct = Timeout;
        await using var m = await EmulatedModule.StartAsync(dialect, Transport.Socket);
        Assert.True((await m.At.Wifi.JoinAsync("iptime", "admin", null, ct)).Success);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        for (var num = 581; num < 584; num++)
        {
            await using (var socket = await m.At.Links.ConnectTcpAsync("127.0.0.1", port, ct))
            {
                using var peer = await listener.AcceptTcpClientAsync(ct);
                await socket.WriteAsync(Encoding.ASCII.GetBytes($"{num}\r\n"), ct);
                var line = await new StreamReader(peer.GetStream()).ReadLineAsync(ct);
                Assert.Equal(num.ToString(System.Globalization.CultureInfo.InvariantCulture), line);
            }
        }
    }

    [Theory]
    [MemberData(nameof(EmulatedModule.Dialects), MemberType = typeof(EmulatedModule))]
    public async Task Udp_datagram_goes_out_and_the_answer_comes_back(FirmwareDialect dialect)
    {
        var ct = Timeout;
        await using var m = await EmulatedModule.StartAsync(dialect, Transport.Socket);
        Assert.True((await m.At.Wifi.JoinAsync("iptime", "admin", null, ct)).Success);
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)peer.Client.LocalEndPoint!).Port;

        await using var socket = await m.At.Links.ConnectUdpAsync("127.0.0.1", port, null, ct);
        await socket.WriteAsync("reading=1.42\n"u8.ToArray(), ct);
        var datagram = await peer.ReceiveAsync(ct);
        Assert.Equal("reading=1.42\n", Encoding.ASCII.GetString(datagram.Buffer));

        await peer.SendAsync("ok"u8.ToArray(), datagram.RemoteEndPoint, ct);
        var buffer = new byte[16];
        var n = await socket.ReadAsync(buffer, ct);
        Assert.Equal("ok", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Theory]
    [MemberData(nameof(EmulatedModule.Dialects), MemberType = typeof(EmulatedModule))]
    public async Task Connecting_where_nothing_listens_fails_with_an_explanation(FirmwareDialect dialect)
    {
        var ct = Timeout;
        await using var m = await EmulatedModule.StartAsync(dialect, Transport.Socket);
        Assert.True((await m.At.Wifi.JoinAsync("iptime", "admin", null, ct)).Success);
        // Held, not listening, for the whole test: refused, and no other test's listener is given the port meanwhile.
        using var nothing = HeldPort.Tcp();
        var port = nothing.Port;
        var e = await Assert.ThrowsAsync<AtCommandException>(() => m.At.Links.ConnectTcpAsync("127.0.0.1", port, ct));
        Assert.False(string.IsNullOrWhiteSpace(e.Hint));
    }
}
