using System.Buffers;
using System.Text;
using Espwire.Receiver.Framing;

namespace Espwire.Receiver.Tests.Framing;

public sealed class LineFramerTests
{
    private sealed class Collector : ILineConsumer
    {
        public List<(string Text, bool Partial)> Lines { get; } = [];
        public List<LineDrop> Drops { get; } = [];
        public void OnLine(ReadOnlySpan<byte> line, bool partial) => Lines.Add((Encoding.UTF8.GetString(line), partial));
        public void OnDrop(LineDrop drop) => Drops.Add(drop);
    }

    /// <summary>Feeds <paramref name="bytes"/> in reads of <paramref name="chunk"/> bytes, keeping unconsumed bytes as a pipe would.</summary>
    private static Collector Feed(byte[] bytes, int chunk, int max = 16, bool close = true)
    {
        var framer = new LineFramer(max);
        var collector = new Collector();
        var pending = new List<byte>();
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            pending.AddRange(bytes.Skip(offset).Take(chunk));
            var final = close && offset + chunk >= bytes.Length;
            var sequence = new ReadOnlySequence<byte>(pending.ToArray());
            var consumed = framer.Frame(sequence, final, collector);
            pending = sequence.Slice(consumed).ToArray().ToList();
        }
        return collector;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void Splits_lf_and_crlf_lines_in_any_fragments(int chunk)
    {
        var result = Feed("581\r\n582\n\r\n583\r\n"u8.ToArray(), chunk);
        Assert.Equal([("581", false), ("582", false), ("", false), ("583", false)], result.Lines);
        Assert.Empty(result.Drops);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(100)]
    public void Drops_an_overlong_line_and_keeps_the_lines_around_it(int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes("1\n" + new string('x', 40) + "\n2\n");
        var result = Feed(bytes, chunk, max: 16);
        Assert.Equal([("1", false), ("2", false)], result.Lines);
        Assert.Equal([LineDrop.TooLong], result.Drops);
    }

    [Fact]
    public void A_line_of_exactly_the_limit_with_crlf_is_kept()
    {
        var line = new string('7', 16);
        var result = Feed(Encoding.ASCII.GetBytes(line + "\r\n"), chunk: 17, max: 16);
        Assert.Equal([(line, false)], result.Lines);
        Assert.Empty(result.Drops);
    }

    [Fact]
    public void The_unterminated_rest_at_close_is_kept_and_flagged_partial()
    {
        var result = Feed("10\n11"u8.ToArray(), chunk: 2);
        Assert.Equal([("10", false), ("11", true)], result.Lines);
    }

    [Fact]
    public void Without_close_the_unterminated_rest_waits_for_more()
    {
        var result = Feed("10\n11"u8.ToArray(), chunk: 5, close: false);
        Assert.Equal([("10", false)], result.Lines);
    }

    [Fact]
    public void A_datagram_end_ends_its_last_line_without_partial_flag()
    {
        var framer = new LineFramer(64);
        var collector = new Collector();
        framer.Frame(new ReadOnlySequence<byte>("1\n2\r\n3"u8.ToArray()), final: true, collector, finalRestIsComplete: true);
        Assert.Equal([("1", false), ("2", false), ("3", false)], collector.Lines);
    }

    [Fact]
    public void An_overlong_line_cut_by_close_is_counted_once()
    {
        var result = Feed(Encoding.ASCII.GetBytes("ok\n" + new string('z', 100)), chunk: 7, max: 16);
        Assert.Equal([("ok", false)], result.Lines);
        Assert.Equal([LineDrop.TooLong], result.Drops);
    }
}
