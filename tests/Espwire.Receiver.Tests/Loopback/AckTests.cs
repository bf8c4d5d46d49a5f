using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Server;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

/// <summary>The acknowledgement protocol over real loopback sockets (docs/ack-protocol.md).</summary>
public sealed class AckTests
{
    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            var n = await socket.ReceiveAsync(one.AsMemory()).AsTask().WaitAsync(TestReceiver.Patience);
            if (n == 0) throw new EndOfStreamException($"closed after '{line}'");
            if (one[0] == (byte)'\n') return line.ToString();
            line.Append((char)one[0]);
        }
    }

    [Fact]
    public async Task A_tcp_device_gets_its_acks_and_a_per_message_connection_is_closed_only_after_its_ack()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(receiver.Tcp);
            await socket.SendAsync("@id radar-1 ack\r\n"u8.ToArray());
            Assert.Equal("ACK 0", await ReadLineAsync(socket));
            await socket.SendAsync("#1 distance=1.42\r\n#2 distance=1.40\r\n"u8.ToArray());
            var ack = await ReadLineAsync(socket);
            if (ack == "ACK 1") ack = await ReadLineAsync(socket); // two commits, if the lines came in two reads
            Assert.Equal("ACK 2", ack);
        }
        // Per-message: everything in one write, then our end; the receiver answers both, then closes.
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(receiver.Tcp);
            await socket.SendAsync("@id radar-1 ack\r\n#3 distance=1.38\r\n"u8.ToArray());
            socket.Shutdown(SocketShutdown.Send);
            var all = new MemoryStream();
            var buffer = new byte[64];
            int n;
            while ((n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TestReceiver.Patience)) > 0) all.Write(buffer, 0, n);
            Assert.Equal("ACK 2\nACK 3\n", Encoding.ASCII.GetString(all.ToArray()));
        }
        await receiver.StopAsync();
        Assert.Equal([("radar-1", 1L, "distance=1.42"), ("radar-1", 2L, "distance=1.40"), ("radar-1", 3L, "distance=1.38")],
            (await receiver.ReadAllAsync()).Select(r => (r.Device, r.Seq, r.Raw)));
    }

    [Fact]
    public async Task Udp_datagrams_are_answered_to_their_source_and_duplicates_are_not_stored()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[512];
        async Task<string> AskAsync(byte[] datagram)
        {
            await udp.SendToAsync(datagram, receiver.Udp);
            var got = await udp.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(TestReceiver.Patience);
            Assert.Equal(receiver.Udp, got.RemoteEndPoint);
            return Encoding.ASCII.GetString(buffer, 0, got.ReceivedBytes);
        }
        Assert.Equal("ACK 0\n", await AskAsync("@id u-1 ack\n"u8.ToArray()));
        Assert.Equal("ACK 2\n", await AskAsync("@id u-1 ack\n#1 a\n#2 b\n"u8.ToArray()));
        // The ACK was lost, say: the device resends; the duplicates are acknowledged, not stored again.
        Assert.Equal("ACK 3\n", await AskAsync("@id u-1 ack\n#1 a\n#2 b\n#3 c\n"u8.ToArray()));
        var bad = new List<byte>("@id u-1 ack\n#4 "u8.ToArray());
        bad.AddRange(new byte[] { 0xC3, 0x28, (byte)'\n' });
        bad.AddRange("#5 e"u8.ToArray());
        Assert.Equal("ACK 5\nNAK 4 invalid-utf8\n", await AskAsync(bad.ToArray()));
        // A plain datagram is never answered.
        await udp.SendToAsync("581\n"u8.ToArray(), receiver.Udp);
        await receiver.WaitForStoredAsync(5);
        await receiver.StopAsync();
        Assert.Equal([("u-1", 1L, "a"), ("u-1", 2L, "b"), ("u-1", 3L, "c"), ("u-1", 5L, "e"), ("127.0.0.1", 1L, "581")],
            (await receiver.ReadAllAsync()).Select(r => (r.Device, r.Seq, r.Raw)));
        Assert.Equal(2, receiver.Host.Stats.Duplicates);
        Assert.Equal(0, udp.Available);
    }

    [Fact]
    public async Task A_restart_on_an_existing_database_resumes_every_devices_sequence()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-restart-test-").FullName;
        try
        {
            await using (var first = await TestReceiver.StartAsync(dir: dir))
            {
                for (var i = 0; i < 3; i++) await first.SendPerMessageAsync($"p{i}");
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(first.Tcp);
                await socket.SendAsync("@id acked ack\n#41 a\n#42 b\n"u8.ToArray());
                Assert.Equal("ACK 0", await ReadLineAsync(socket));
                var ack = await ReadLineAsync(socket);
                if (ack == "ACK 41") ack = await ReadLineAsync(socket);
                Assert.Equal("ACK 42", ack);
                await first.StopAsync();
            }
            await using var second = await TestReceiver.StartAsync(dir: dir);
            await second.SendPerMessageAsync("p3");
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                await socket.ConnectAsync(second.Tcp);
                await socket.SendAsync("@id acked ack\n"u8.ToArray());
                Assert.Equal("ACK 42", await ReadLineAsync(socket));
            }
            await second.StopAsync();
            var rows = await second.ReadAllAsync();
            Assert.Equal([1L, 2, 3, 4], rows.Where(r => r.Device == "127.0.0.1").Select(r => r.Seq));
            Assert.Equal(["p0", "p1", "p2", "p3"], rows.Where(r => r.Device == "127.0.0.1").Select(r => r.Raw));
            Assert.Equal([41L, 42], rows.Where(r => r.Device == "acked").Select(r => r.Seq));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}

public sealed class SyncTests
{
    [Theory]
    [InlineData(Espwire.Receiver.Sinks.SqliteSync.Normal, 1L)]
    [InlineData(Espwire.Receiver.Sinks.SqliteSync.Full, 2L)]
    public async Task Sync_sets_what_a_commit_promises(Espwire.Receiver.Sinks.SqliteSync sync, long synchronous)
    {
        await using var receiver = await TestReceiver.StartAsync(o => o with { Sync = sync });
        // SQLite: synchronous 1 is NORMAL, 2 is FULL (an fsync of the WAL at every commit).
        Assert.Equal(synchronous, receiver.Host.Database!.Pragma("synchronous"));
        Assert.Equal(1, await receiver.ScalarAsync("SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"));
    }
}
