using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Server;
using Espwire.Receiver.Tests.Support;
using Espwire.Testing;

namespace Espwire.Receiver.Tests.Loopback;

/// <summary>Bad input over real sockets: the server counts it, keeps the good lines, and keeps serving.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Overlong_garbage_invalid_utf8_and_empty_lines_are_counted_around_good_lines()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(receiver.Tcp);
            var bytes = new List<byte>();
            bytes.AddRange("1\r\n"u8.ToArray());
            bytes.AddRange(Encoding.ASCII.GetBytes(new string('x', 10_000) + "\r\n"));
            bytes.AddRange("2\r\n"u8.ToArray());
            bytes.AddRange(new byte[] { 0x00, 0x07, 0x1B, 0x7F, 0x10, (byte)'\n' });
            bytes.AddRange("3\r\n"u8.ToArray());
            bytes.AddRange(new byte[] { 0xFF, 0xFE, 0x80, (byte)'\n' });
            bytes.AddRange("\r\n\n\r\n4\r\n"u8.ToArray());
            await socket.SendAsync(bytes.ToArray());
        }
        await receiver.WaitForStoredAsync(4);
        await receiver.SendPerMessageAsync("5");
        await receiver.WaitForStoredAsync(5);
        await receiver.StopAsync();
        Assert.Equal(["1", "2", "3", "4", "5"], (await receiver.ReadAllAsync()).Select(r => r.Raw));
        var stats = receiver.Host.Stats;
        Assert.Equal(1, stats.LinesTooLong);
        Assert.Equal(1, stats.LinesBinary);
        Assert.Equal(1, stats.LinesInvalidUtf8);
        Assert.Equal(3, stats.EmptyLines);
        Assert.Contains(receiver.Notices, n => n.Kind == NoticeKind.Dropped && n.Message.Contains("4096", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reset_mid_line_is_counted_and_the_server_keeps_serving()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(receiver.Tcp);
            await socket.SendAsync("5\r\n"u8.ToArray());
            await receiver.WaitForStoredAsync(1);
            await socket.SendAsync("6"u8.ToArray());
            socket.LingerState = new LingerOption(true, 0); // close sends RST
            socket.Close();
        }
        // The bytes before the reset are read first: the unterminated "6" is kept, flagged partial.
        await receiver.WaitForStoredAsync(2);
        await receiver.WaitForNoticeAsync(NoticeKind.Reset);
        await receiver.SendPerMessageAsync("7");
        await receiver.WaitForStoredAsync(3);
        var rows = await receiver.ReadAllAsync();
        Assert.Equal([("5", false), ("6", true), ("7", false)], rows.Select(r => (r.Raw, r.Partial)));
        Assert.Equal(1, receiver.Host.Stats.ConnectionResets);
        Assert.Equal(1, receiver.Host.Stats.PartialLines);
    }

    [Fact]
    public async Task Five_thousand_connections_at_once_from_one_address_are_all_stored_with_the_default_limits()
    {
        const int count = 5000;
        // Each connection costs two descriptors here (client and server side).
        var limit = Espwire.Receiver.Hosting.FileDescriptorLimit.RaiseSoftToHard();
        Assert.True(limit >= 2 * count + 500, $"open-file limit {limit} is too low for {count} loopback connections; run `ulimit -n 12000`.");
        // The defaults: 1,000 per address, so 4,000 of them wait, unread, for a slot.
        await using var receiver = await TestReceiver.StartAsync();
        Assert.Equal(1_000, receiver.Host.Options.MaxConnectionsPerAddress);
        var sockets = new Socket[count];
        try
        {
            // All 5,000 connect and write before any closes; each then ends its side, as a per-message device does.
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets[i] = socket;
                await socket.ConnectAsync(receiver.Tcp, ct);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"{i}\n"), ct);
            });
            foreach (var socket in sockets) socket.Shutdown(SocketShutdown.Send);
            await receiver.WaitForStoredAsync(count).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(receiver.Host.Stats.ConnectionsWaited > 0, "some connections should have waited for a slot");
            Assert.Equal(0, receiver.Host.Stats.RefusedTooManyFromAddress);
        }
        finally
        {
            foreach (var socket in sockets) socket?.Dispose();
        }
        await receiver.SendPerMessageAsync("after");
        await receiver.WaitForStoredAsync(count + 1);
        await receiver.StopAsync();
        var rows = await receiver.ReadAllAsync();
        Assert.Equal(count + 1, rows.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).Append("after").Order(StringComparer.Ordinal),
            rows.Select(r => r.Raw).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_connection_past_max_per_address_waits_unread_and_is_read_when_a_slot_frees()
    {
        await using var receiver = await TestReceiver.StartAsync(o => o with { MaxConnectionsPerAddress = 2 });
        using var a = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var b = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await a.ConnectAsync(receiver.Tcp);
        await a.SendAsync("1\n"u8.ToArray());
        await b.ConnectAsync(receiver.Tcp);
        await b.SendAsync("2\n"u8.ToArray());
        await receiver.WaitForStoredAsync(2); // both admitted and reading
        using var waiting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await waiting.ConnectAsync(receiver.Tcp);
        await waiting.SendAsync("3\n"u8.ToArray());
        await Eventually.UntilAsync(() => receiver.Host.Stats.ConnectionsWaiting == 1, "one connection waiting");
        var notice = await receiver.WaitForNoticeAsync(NoticeKind.Waiting);
        Assert.Contains("--max-per-address", notice.Message, StringComparison.Ordinal);
        // Another address is not held up by this one's limit.
        await receiver.SendPerMessageAsync("4", IPAddress.Parse("127.0.0.2"));
        await receiver.WaitForStoredAsync(3);
        Assert.Equal(["1", "2", "4"], (await receiver.ReadAllAsync()).Select(r => r.Raw));
        // A slot frees: the waiting connection is read, nothing it wrote was lost.
        a.Shutdown(SocketShutdown.Send);
        await receiver.WaitForStoredAsync(4);
        await receiver.StopAsync();
        Assert.Equal(["1", "2", "4", "3"], (await receiver.ReadAllAsync()).Select(r => r.Raw));
        var stats = receiver.Host.Stats;
        Assert.Equal(1, stats.ConnectionsWaited);
        Assert.Equal(0, stats.ConnectionsWaiting);
        Assert.Equal(0, stats.RefusedTooManyFromAddress);
        Assert.Single(receiver.Notices, n => n.Kind == NoticeKind.Waiting);
    }

    [Fact]
    public async Task Connections_past_max_connections_wait_in_order_whatever_their_address()
    {
        await using var receiver = await TestReceiver.StartAsync(o => o with { MaxConnections = 2 });
        var open = new List<Socket>();
        try
        {
            for (var i = 1; i <= 2; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                open.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{i}"), 0));
                await socket.ConnectAsync(receiver.Tcp);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"open-{i}\n"));
                // Stored before the next connects: two connections' readings have no order between them.
                await receiver.WaitForStoredAsync(i);
            }
            // Two more from two other addresses: the global limit holds both, unread.
            var late = new Task[2];
            for (var i = 3; i <= 4; i++)
            {
                late[i - 3] = receiver.SendPerMessageAsync($"late-{i}", IPAddress.Parse($"127.0.0.{i}"));
                var waitingNow = i - 2;
                await Eventually.UntilAsync(() => receiver.Host.Stats.ConnectionsWaiting == waitingNow, $"{waitingNow} connections waiting");
            }
            Assert.Equal(2, (await receiver.ReadAllAsync()).Count);
            var notice = await receiver.WaitForNoticeAsync(NoticeKind.Waiting);
            Assert.Contains("--max-connections", notice.Message, StringComparison.Ordinal);
            // One slot frees: the first to wait is read first, and when it closes, the second.
            open[0].Shutdown(SocketShutdown.Send);
            await Task.WhenAll(late).WaitAsync(TestReceiver.Patience);
            await receiver.WaitForStoredAsync(4);
            Assert.Equal(0, receiver.Host.Stats.ConnectionsWaiting);
        }
        finally
        {
            foreach (var socket in open) socket.Dispose();
        }
        await receiver.StopAsync();
        Assert.Equal(["open-1", "open-2", "late-3", "late-4"], (await receiver.ReadAllAsync()).Select(r => r.Raw));
        Assert.Equal(2, receiver.Host.Stats.ConnectionsWaited);
        Assert.Equal(0, receiver.Host.Stats.RefusedTooManyConnections);
    }

    [Fact]
    public async Task Peers_outside_allow_are_refused_counted_and_logged_once_per_address()
    {
        await using var receiver = await TestReceiver.StartAsync(o => o with { Allow = [IPNetwork.Parse("127.0.0.8/29")] });
        for (var i = 0; i < 3; i++)
        {
            using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await refused.ConnectAsync(receiver.Tcp);
            await refused.SendAsync("666\n"u8.ToArray());
            Assert.Equal(0, await ReadToEndOrResetAsync(refused));
        }
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            udp.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 0));
            await udp.SendToAsync("udp-ok\n"u8.ToArray(), receiver.Udp);
        }
        await receiver.SendPerMessageAsync("tcp-ok", IPAddress.Parse("127.0.0.10"));
        await receiver.WaitForStoredAsync(2);
        await receiver.StopAsync();
        Assert.Equal(["tcp-ok", "udp-ok"], (await receiver.ReadAllAsync()).Select(r => r.Raw).Order(StringComparer.Ordinal));
        Assert.Equal(3, receiver.Host.Stats.RefusedNotAllowed);
        var refusal = Assert.Single(receiver.Notices, n => n.Kind == NoticeKind.Refused);
        Assert.Contains("127.0.0.1", refusal.Message, StringComparison.Ordinal);
    }

    private static async Task<int> ReadToEndOrResetAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[8].AsMemory()).AsTask().WaitAsync(TestReceiver.Patience);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return 0;
        }
    }
}
