using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Espwire.Receiver.Sinks.Mqtt;
using MQTTnet.Channel;

namespace Espwire.Receiver.Tests.Mqtt;

/// <summary>The channel under the forwarder's MQTT connection: packets gathered into few socket writes, in order;
/// a flush that means "in the socket"; a failed write that fails what follows and ends the connection.</summary>
public sealed class CoalescingMqttChannelTests
{
    private static readonly TimeSpan Ceiling = Espwire.Testing.TestTimeouts.Patience;

    /// <summary>A socket stand-in: records writes, can hold them (a slow socket) or fail them, serves reads from a queue.</summary>
    private sealed class FakeChannel : IMqttChannel
    {
        private readonly Lock _gate = new();
        public readonly List<byte[]> Writes = [];
        public TaskCompletionSource? Hold;
        public Exception? FailWith;
        public readonly Queue<byte[]> Reads = new();
        public bool Disposed;

        public X509Certificate2 ClientCertificate => null!;
        public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1883);
        public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 40000);
        public bool IsSecureConnection => false;
        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            var chunk = Reads.Dequeue();
            Assert.True(chunk.Length <= count);
            chunk.CopyTo(buffer, offset);
            return Task.FromResult(chunk.Length);
        }

        /// <summary>When set, each write waits for one release (a socket the broker reads at its own pace).</summary>
        public SemaphoreSlim? Pace;

        /// <summary>Released as each write reaches the socket (before <see cref="Pace"/> lets it through).</summary>
        public readonly SemaphoreSlim Started = new(0);

        /// <summary>Bytes of every write that reached the socket, held or not.</summary>
        public long EnteredBytes;

        public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref EnteredBytes, buffer.Length);
            Started.Release();
            if (Hold is { } hold) await hold.Task;
            if (Pace is { } pace) await pace.WaitAsync(cancellationToken);
            if (FailWith is { } failure) throw failure;
            lock (_gate) Writes.Add(buffer.ToArray());
        }

        public byte[] Written()
        {
            lock (_gate) return Writes.SelectMany(w => w).ToArray();
        }

        public int WriteCount()
        {
            lock (_gate) return Writes.Count;
        }

        public void Dispose() => Disposed = true;
    }

    private static ReadOnlySequence<byte> Packet(int i) => new([(byte)(i >> 8), (byte)i, 0xAA, 0xBB]);

    [Fact]
    public async Task Packets_written_while_the_socket_is_busy_go_out_together_in_order()
    {
        var inner = new FakeChannel { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var channel = new CoalescingMqttChannel(inner);
        for (var i = 0; i < 1000; i++) Assert.True(channel.WriteAsync(Packet(i), true, CancellationToken.None).IsCompletedSuccessfully);
        var flushed = channel.FlushAsync();
        Assert.False(flushed.IsCompleted); // the socket holds the first write: nothing is "sent" yet
        inner.Hold.SetResult();
        await flushed.WaitAsync(Ceiling);

        Assert.Equal(Enumerable.Range(0, 1000).SelectMany(i => Packet(i).ToArray()), inner.Written());
        // The first packet went out alone (the writer started at once); the other 999 waited for it and went together.
        Assert.InRange(inner.WriteCount(), 1, 2);
        Assert.True(channel.FlushAsync().IsCompletedSuccessfully); // nothing pending: done at once
    }

    [Fact]
    public async Task A_flush_waits_for_the_bytes_before_it_not_for_those_written_after_it()
    {
        // The forwarder keeps publishing while it waits for a flush: waiting for an idle socket instead stalled it
        // for as long as the broker kept reading.
        using var pace = new SemaphoreSlim(0);
        var inner = new FakeChannel { Pace = pace };
        var channel = new CoalescingMqttChannel(inner);
        await channel.WriteAsync(Packet(1), true, CancellationToken.None);
        Assert.True(await inner.Started.WaitAsync(Ceiling)); // the writer has taken packet 1 to the socket
        var first = channel.FlushAsync();
        await channel.WriteAsync(Packet(2), true, CancellationToken.None); // waits in the buffer behind packet 1
        Assert.False(first.IsCompleted);
        pace.Release(); // the socket takes packet 1
        await first.WaitAsync(Ceiling);
        Assert.Equal(Packet(1).ToArray(), inner.Written());

        Assert.True(await inner.Started.WaitAsync(Ceiling)); // packet 2 at the socket, not through it
        var second = channel.FlushAsync();
        Assert.False(second.IsCompleted);
        pace.Release();
        await second.WaitAsync(Ceiling);
        Assert.Equal(Packet(1).ToArray().Concat(Packet(2).ToArray()), inner.Written());
        Assert.True(channel.FlushAsync().IsCompletedSuccessfully); // nothing pending: done at once
    }

    [Fact]
    public async Task A_failed_socket_write_fails_later_writes_and_flushes_and_closes_the_socket()
    {
        var inner = new FakeChannel { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), FailWith = new IOException("broken pipe") };
        var channel = new CoalescingMqttChannel(inner);
        await channel.WriteAsync(Packet(1), true, CancellationToken.None);
        var flushed = channel.FlushAsync();
        inner.Hold.SetResult();
        var error = await Assert.ThrowsAsync<IOException>(() => flushed.WaitAsync(Ceiling));
        Assert.Contains("broken pipe", error.Message, StringComparison.Ordinal);
        Assert.True(inner.Disposed); // MQTTnet's reader sees the end and fails the publishes awaiting a PUBACK
        await Assert.ThrowsAsync<IOException>(() => channel.WriteAsync(Packet(2), true, CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => channel.FlushAsync());
        Assert.Empty(inner.Writes);
    }

    [Fact]
    public async Task A_writer_past_the_high_water_mark_waits_for_the_socket()
    {
        var inner = new FakeChannel { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var channel = new CoalescingMqttChannel(inner);
        var big = new ReadOnlySequence<byte>(new byte[64 * 1024]);
        Task last = Task.CompletedTask;
        var written = 0;
        while (last.IsCompleted)
        {
            last = channel.WriteAsync(big, true, CancellationToken.None);
            written += 64 * 1024;
            // What waits in the channel (written, less what the writer took to the held socket) stays near the mark.
            Assert.True(written - Interlocked.Read(ref inner.EnteredBytes) <= CoalescingMqttChannel.HighWater + 64 * 1024, "the channel never pushed back");
        }
        Assert.False(last.IsCompleted);
        inner.Hold.SetResult();
        await last.WaitAsync(Ceiling);
        await channel.FlushAsync().WaitAsync(Ceiling);
        Assert.Equal(written, inner.Written().Length);
    }

    [Fact]
    public async Task Reads_are_served_from_one_socket_read_in_the_pieces_asked_for()
    {
        var inner = new FakeChannel();
        // Three PUBACKs (4 bytes each) in one socket read, then one more in the next.
        inner.Reads.Enqueue([0x40, 0x02, 0x00, 0x01, 0x40, 0x02, 0x00, 0x02, 0x40, 0x02, 0x00, 0x03]);
        inner.Reads.Enqueue([0x40, 0x02, 0x00, 0x04]);
        var channel = new CoalescingMqttChannel(inner);
        var got = new List<byte>();
        var piece = new byte[2];
        for (var i = 0; i < 8; i++)
        {
            var n = await channel.ReadAsync(piece, 0, 2, CancellationToken.None);
            Assert.Equal(2, n);
            got.AddRange(piece);
            if (i == 5) Assert.Single(inner.Reads); // six pieces came from the first read alone
        }
        Assert.Equal(new byte[] { 0x40, 0x02, 0x00, 0x01, 0x40, 0x02, 0x00, 0x02, 0x40, 0x02, 0x00, 0x03, 0x40, 0x02, 0x00, 0x04 }, got);
        Assert.Empty(inner.Reads);
    }
}
