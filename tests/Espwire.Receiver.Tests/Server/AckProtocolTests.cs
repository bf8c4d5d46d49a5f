using System.IO.Pipelines;
using System.Net;
using System.Text;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;
using Espwire.Receiver.Sinks;

namespace Espwire.Receiver.Tests.Server;

/// <summary>docs/ack-protocol.md byte for byte, on in-memory pipes with the real single writer and a recording sink.</summary>
public sealed class AckProtocolTests
{
    private static readonly TimeSpan Patience = Espwire.Testing.TestTimeouts.Seconds(30);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("192.0.2.7"), 50027);

    private sealed class RecordingSink : IReadingSink
    {
        public List<Reading> Stored { get; } = [];

        public ValueTask WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
        {
            lock (Stored) Stored.AddRange(batch);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Rig : IAsyncDisposable
    {
        public required ReceiverCore Core { get; init; }
        public required Task Pump { get; init; }
        public required RecordingSink Sink { get; init; }
        public Pipe In { get; } = new();
        public Pipe Out { get; } = new();
        public Task? Session { get; set; }
        private readonly StringBuilder _received = new();

        public async Task SendAsync(string text) => await In.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

        public async Task SendAsync(byte[] bytes) => await In.Writer.WriteAsync(bytes);

        /// <summary>Reads the receiver's answers until they are exactly <paramref name="expected"/> (fails on anything else).</summary>
        public async Task ExpectAsync(string expected)
        {
            while (_received.Length < expected.Length)
            {
                var result = await Out.Reader.ReadAsync().AsTask().WaitAsync(Patience);
                foreach (var segment in result.Buffer) _received.Append(Encoding.ASCII.GetString(segment.Span));
                Out.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
            Assert.Equal(expected, _received.ToString());
        }

        /// <summary>After the output is completed: nothing at all was answered.</summary>
        public async Task ExpectNothingAsync()
        {
            await Out.Writer.CompleteAsync();
            while (true)
            {
                var result = await Out.Reader.ReadAsync().AsTask().WaitAsync(Patience);
                foreach (var segment in result.Buffer) _received.Append(Encoding.ASCII.GetString(segment.Span));
                Out.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
            Assert.Equal("", _received.ToString());
        }

        /// <summary>
        /// The device hangs up; then the writer is stopped and waited for, so everything the session queued is in
        /// <see cref="RecordingSink.Stored"/>. (A session without acks ends before its readings are written: nothing
        /// about it waits for the writer, so reading the sink right after the session raced the writer.)
        /// </summary>
        public async Task EndAsync()
        {
            await In.Writer.CompleteAsync();
            await Session!.WaitAsync(Patience);
            Core.Queue.Complete();
            await Pump.WaitAsync(Patience);
        }

        public async ValueTask DisposeAsync()
        {
            Core.Queue.Complete();
            await Pump.WaitAsync(Patience);
            await Core.DisposeAsync();
        }
    }

    private static Rig Start(Dictionary<string, long>? stored = null, bool database = true, int maxLine = 4096)
    {
        var core = new ReceiverCore(new ReceiverOptions
        {
            Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
            DatabasePath = database ? "unused.db" : null,
            MaxLineLength = maxLine,
            IdleTimeout = Timeout.InfiniteTimeSpan,
        });
        var sink = new RecordingSink();
        var unwritten = new UnwrittenReadings(core, null);
        var pump = new ReadingPump(core, [sink], new DeviceSequencer(stored ?? []), () => null, unwritten);
        var rig = new Rig { Core = core, Pump = Task.Run(pump.RunAsync), Sink = sink };
        rig.Session = core.HandleConnectionAsync(new DeviceConnection(rig.In.Reader, Remote, null, rig.Out.Writer));
        return rig;
    }

    [Fact]
    public async Task The_documented_example_byte_for_byte()
    {
        await using var rig = Start(new Dictionary<string, long> { ["radar-1"] = 1041 });
        await rig.SendAsync([0x40, 0x69, 0x64, 0x20, 0x72, 0x61, 0x64, 0x61, 0x72, 0x2d, 0x31, 0x20, 0x61, 0x63, 0x6b, 0x0d, 0x0a]);
        await rig.ExpectAsync("ACK 1041\n");
        await rig.SendAsync("#1042 distance=1.42\r\n#1043 distance=1.40\r\n");
        await rig.ExpectAsync("ACK 1041\nACK 1043\n");
        await rig.EndAsync();
        Assert.Equal([("radar-1", 1042L, "distance=1.42"), ("radar-1", 1043L, "distance=1.40")],
            rig.Sink.Stored.Select(r => (r.Device, r.Sequence, r.Raw)));
        Assert.Equal([1.42], rig.Sink.Stored[0].Values.Select(v => v.Value));
        Assert.Equal(2, rig.Core.Snapshot().AcksSent);
    }

    [Fact]
    public async Task Bare_number_payloads_keep_their_value_text_and_seq_and_plain_lines_between_are_numbered_after_them()
    {
        await using var rig = Start(new Dictionary<string, long> { ["pm-1"] = 10 });
        await rig.SendAsync("@id pm-1 ack\n#11 581\n#12 -2.5e1\nplain\n#14 7\n#13 6\n");
        await rig.ExpectAsync("ACK 10\nACK 14\n");
        await rig.EndAsync();
        Assert.Equal([(11L, "581", ReadingFormat.Number), (12L, "-2.5e1", ReadingFormat.Number), (13L, "plain", ReadingFormat.Text), (14L, "7", ReadingFormat.Number)],
            rig.Sink.Stored.Select(r => (r.Sequence, r.Raw, r.Format)));
        Assert.Equal([581.0, -25.0, 7.0], rig.Sink.Stored.Where(r => r.Format == ReadingFormat.Number).Select(r => r.FirstValue!.Value));
        Assert.Equal(["value"], rig.Sink.Stored[0].Values.Select(v => v.Name));
        // "#13 6" arrives after 14 was stored: at or below the highest seq, so a duplicate (docs/ack-protocol.md).
        Assert.Equal(1, rig.Core.Snapshot().Duplicates);
    }

    [Fact]
    public async Task Duplicates_are_acknowledged_and_not_stored_again()
    {
        await using var rig = Start(new Dictionary<string, long> { ["radar-1"] = 5 });
        await rig.SendAsync("@id radar-1 ack\n#4 a\n#5 b\n#6 c\n#6 c\n");
        await rig.ExpectAsync("ACK 5\nACK 6\n");
        await rig.EndAsync();
        Assert.Equal([(6L, "c")], rig.Sink.Stored.Select(r => (r.Sequence, r.Raw)));
        Assert.Equal(3, rig.Core.Snapshot().Duplicates);
    }

    [Fact]
    public async Task Hello_and_readings_in_one_write_are_answered_in_order_and_the_connection_waits_for_them()
    {
        await using var rig = Start();
        // A per-message device: everything at once, then its end of the connection.
        await rig.SendAsync("@id pm-1 ack\r\n#1 7\r\n");
        await rig.In.Writer.CompleteAsync();
        await rig.Session!.WaitAsync(Patience);
        // The session ended only after its answers were written.
        await rig.ExpectAsync("ACK 0\nACK 1\n");
        Assert.Equal([(1L, "7")], rig.Sink.Stored.Select(r => (r.Sequence, r.Raw)));
    }

    [Fact]
    public async Task Malformed_seq_lines_are_stored_as_plain_and_counted_and_never_acknowledged()
    {
        await using var rig = Start();
        await rig.SendAsync("@id m ack\n#abc x\n#0 y\n#9223372036854775808 z\n#12\n# 5 w\n#9 ok\n");
        await rig.ExpectAsync("ACK 0\nACK 9\n");
        await rig.EndAsync();
        Assert.Equal(["#abc x", "#0 y", "#9223372036854775808 z", "#12", "# 5 w", "ok"], rig.Sink.Stored.Select(r => r.Raw));
        // Plain lines are numbered after the highest seq; the #3 then is the device's own.
        Assert.Equal([1L, 2, 3, 4, 5, 9], rig.Sink.Stored.Select(r => r.Sequence));
        Assert.Equal(5, rig.Core.Snapshot().MalformedSeq);
    }

    [Fact]
    public async Task Rejected_seq_lines_are_answered_nak_with_their_reason()
    {
        await using var rig = Start(maxLine: 32);
        var bytes = new List<byte>();
        bytes.AddRange("@id n ack\n"u8.ToArray());
        bytes.AddRange(Encoding.ASCII.GetBytes("#7 " + new string('x', 40) + "\n"));
        bytes.AddRange("#8 "u8.ToArray());
        bytes.AddRange(new byte[] { 0xC3, 0x28, (byte)'\n' });
        bytes.AddRange("#9 \u0001\n"u8.ToArray());
        bytes.AddRange("#10 \n#11 ok\n"u8.ToArray());
        await rig.SendAsync(bytes.ToArray());
        await rig.ExpectAsync("ACK 0\nNAK 7 too-long\nNAK 8 invalid-utf8\nNAK 9 control-bytes\nNAK 10 empty\nACK 11\n");
        await rig.EndAsync();
        Assert.Equal([(11L, "ok")], rig.Sink.Stored.Select(r => (r.Sequence, r.Raw)));
        Assert.Equal(4, rig.Core.Snapshot().NaksSent);
    }

    [Fact]
    public async Task A_long_line_skipped_across_reads_is_still_answered_nak()
    {
        await using var rig = Start(maxLine: 16);
        await rig.SendAsync("@id n ack\n#21 " + new string('y', 30));
        await rig.ExpectAsync("ACK 0\n");
        await rig.SendAsync(new string('y', 30) + "\n#22 ok\n");
        await rig.ExpectAsync("ACK 0\nNAK 21 too-long\nACK 22\n");
        await rig.EndAsync();
    }

    [Fact]
    public async Task Plain_lines_and_a_hello_without_ack_get_no_answer_but_seq_lines_keep_their_seq()
    {
        await using var rig = Start(new Dictionary<string, long> { ["quiet"] = 2 });
        await rig.SendAsync("581\n@id quiet\n#2 dup\n#3 three\n4\n@id quiet ack2\n#5 five\n");
        await rig.EndAsync();
        await rig.ExpectNothingAsync();
        Assert.Equal([("192.0.2.7", 1L, "581"), ("quiet", 3L, "three"), ("quiet", 4L, "4"), ("quiet", 5L, "five")],
            rig.Sink.Stored.Select(r => (r.Device, r.Sequence, r.Raw)));
    }

    [Fact]
    public async Task Without_a_database_no_ack_is_sent()
    {
        await using var rig = Start(database: false);
        await rig.SendAsync("@id nodb ack\n#1 a\n");
        await rig.EndAsync();
        await rig.ExpectNothingAsync();
        Assert.Equal([(1L, "a")], rig.Sink.Stored.Select(r => (r.Sequence, r.Raw)));
    }

    [Fact]
    public async Task A_cut_off_seq_line_is_kept_as_partial_without_claiming_its_seq()
    {
        await using var rig = Start();
        await rig.SendAsync("@id cut ack\n#1 whole\n#2 hal");
        await rig.EndAsync();
        await rig.ExpectAsync("ACK 0\nACK 1\n");
        var partial = rig.Sink.Stored.Single(r => (r.Flags & ReadingFlags.Partial) != 0);
        Assert.Equal(("#2 hal", 0L), (partial.Raw, partial.Sequence));
    }
}
