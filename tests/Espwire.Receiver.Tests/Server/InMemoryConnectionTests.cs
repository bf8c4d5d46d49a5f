using System.IO.Pipelines;
using System.Net;
using System.Text;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;

namespace Espwire.Receiver.Tests.Server;

/// <summary>The connection logic driven through an in-memory pipe: no socket, no Kestrel.</summary>
public sealed class InMemoryConnectionTests
{
    private static readonly TimeSpan Patience = Espwire.Testing.TestTimeouts.Seconds(30);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("192.0.2.7"), 50027);

    private static ReceiverCore NewCore(int queue = 1000, int maxLine = 4096) => new(new ReceiverOptions
    {
        Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
        QueueCapacity = queue,
        MaxLineLength = maxLine,
        IdleTimeout = Timeout.InfiniteTimeSpan,
    });

    private static async Task<List<Reading>> DrainAsync(ReceiverCore core, int count)
    {
        var readings = new List<Reading>();
        while (readings.Count < count)
        {
            var batch = await core.Queue.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            readings.AddRange(batch);
            core.Queue.Release(batch.Count);
        }
        return readings;
    }

    [Fact]
    public async Task Lines_sent_one_byte_at_a_time_become_readings_with_the_peer_as_device()
    {
        await using var core = NewCore();
        var pipe = new Pipe();
        var session = core.HandleConnectionAsync(pipe.Reader, Remote);
        foreach (var b in "581\r\n582\r\n"u8.ToArray())
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }
        await pipe.Writer.CompleteAsync();
        await session.WaitAsync(Patience);
        var readings = await DrainAsync(core, 2);
        Assert.Equal(["581", "582"], readings.Select(r => r.Raw));
        Assert.All(readings, r => Assert.Equal("192.0.2.7", r.Device));
        Assert.All(readings, r => Assert.Equal(Remote, r.Remote));
        Assert.Equal(581, readings[0].Values[0].Value);
        Assert.Equal(1, core.Snapshot().ConnectionsAccepted);
        Assert.Equal(0, core.Snapshot().ConnectionsOpen);
    }

    [Fact]
    public async Task An_id_line_names_the_device_and_a_json_id_names_its_reading()
    {
        await using var core = NewCore();
        var pipe = new Pipe();
        var session = core.HandleConnectionAsync(pipe.Reader, Remote);
        await pipe.Writer.WriteAsync("@id radar-1\r\n1\r\n{\"id\":\"radar-9\",\"r\":2}\n3"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        await session.WaitAsync(Patience);
        var readings = await DrainAsync(core, 3);
        Assert.Equal(["radar-1", "radar-9", "radar-1"], readings.Select(r => r.Device));
        Assert.Equal(ReadingFlags.Partial, readings[2].Flags);
        Assert.Equal(1, core.Snapshot().PartialLines);
    }

    [Fact]
    public async Task Numbers_parse_the_same_on_the_fast_and_the_general_path()
    {
        await using var core = NewCore();
        var pipe = new Pipe();
        var session = core.HandleConnectionAsync(pipe.Reader, Remote);
        await pipe.Writer.WriteAsync("-1.5e3\n 12 \nnan\n7\u00b0C\n42\n"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        await session.WaitAsync(Patience);
        var readings = await DrainAsync(core, 5);
        Assert.Equal([-1500.0, 12.0, null, null, 42.0], readings.Select(r => r.FirstValue));
        Assert.Equal([ReadingFormat.Number, ReadingFormat.Number, ReadingFormat.Text, ReadingFormat.Text, ReadingFormat.Number], readings.Select(r => r.Format));
        Assert.Equal([new ReadingValue("value", 42)], readings[4].Values);
        Assert.Empty(readings[2].Values);
    }

    [Fact]
    public async Task Bad_lines_are_counted_and_the_good_ones_around_them_kept()
    {
        await using var core = NewCore(maxLine: 32);
        var pipe = new Pipe();
        var session = core.HandleConnectionAsync(pipe.Reader, Remote);
        var bytes = new List<byte>();
        bytes.AddRange("1\n"u8.ToArray());
        bytes.AddRange(Encoding.ASCII.GetBytes(new string('x', 100) + "\n"));
        bytes.AddRange("2\n"u8.ToArray());
        bytes.AddRange(new byte[] { 0xC3, 0x28, (byte)'\n' }); // invalid UTF-8
        bytes.AddRange("3\r\n\r\n\n"u8.ToArray());
        bytes.AddRange(new byte[] { 0, 1, 2, 0x1B, (byte)'\n' }); // control bytes
        bytes.AddRange("4\n"u8.ToArray());
        await pipe.Writer.WriteAsync(bytes.ToArray());
        await pipe.Writer.CompleteAsync();
        await session.WaitAsync(Patience);
        var readings = await DrainAsync(core, 4);
        Assert.Equal(["1", "2", "3", "4"], readings.Select(r => r.Raw));
        var stats = core.Snapshot();
        Assert.Equal(1, stats.LinesTooLong);
        Assert.Equal(1, stats.LinesInvalidUtf8);
        Assert.Equal(1, stats.LinesBinary);
        Assert.Equal(2, stats.EmptyLines);
        Assert.Equal(4, stats.ReadingsReceived);
    }

    [Fact]
    public async Task A_full_queue_stops_reading_and_nothing_is_lost()
    {
        await using var core = NewCore(queue: 4);
        // A small pipe so the writer feels the reader stop, as a socket's sender would.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        core.Queue.ProducerWaiting += () => waiting.TrySetResult();
        var session = core.HandleConnectionAsync(pipe.Reader, Remote);
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 2000; i++)
                await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes($"{i}\n"));
            await pipe.Writer.CompleteAsync();
        });
        // Nobody drains yet: the session finds the queue full and stops reading, so the writer cannot finish.
        await waiting.Task.WaitAsync(Patience);
        Assert.False(writer.IsCompleted);
        Assert.True(core.Queue.Count > 0);
        var readings = await DrainAsync(core, 2000);
        await writer.WaitAsync(Patience);
        await session.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), readings.Select(r => r.Raw));
        Assert.True(core.Snapshot().QueueFullWaits > 0);
    }

    [Fact]
    public async Task A_reset_keeps_the_complete_lines_before_it_and_the_rest_as_partial_and_is_counted()
    {
        await using var core = NewCore();
        var pipe = new Pipe();
        var connection = new DeviceConnection(pipe.Reader, Remote);
        var session = core.HandleConnectionAsync(connection);
        await pipe.Writer.WriteAsync("5\n6"u8.ToArray());
        var first = await DrainAsync(core, 1);
        // The socket host's way: mark the reset, then end the input cleanly so its buffered bytes are still read.
        connection.MarkReset();
        await pipe.Writer.CompleteAsync();
        await session.WaitAsync(Patience);
        var rest = await DrainAsync(core, 1);
        Assert.Equal("5", Assert.Single(first).Raw);
        Assert.Equal(("6", ReadingFlags.Partial), (Assert.Single(rest).Raw, rest[0].Flags));
        Assert.Equal(1, core.Snapshot().ConnectionResets);
        Assert.Equal(1, core.Snapshot().PartialLines);
    }

    [Fact]
    public async Task A_host_that_fails_its_pipe_with_the_reset_loses_the_rest_but_the_reset_is_counted()
    {
        // What Kestrel's transport did: the pipe completed with the error hides its buffered "6" from the reader.
        await using var core = NewCore();
        var pipe = new Pipe();
        var session = core.HandleConnectionAsync(pipe.Reader, Remote);
        await pipe.Writer.WriteAsync("5\n6"u8.ToArray());
        var first = await DrainAsync(core, 1);
        await pipe.Writer.CompleteAsync(new IOException("Connection reset by peer"));
        await session.WaitAsync(Patience);
        Assert.Equal("5", Assert.Single(first).Raw);
        Assert.Equal(0, core.Queue.Count);
        Assert.Equal(1, core.Snapshot().ConnectionResets);
    }
}
