using System.Buffers;

namespace Espwire.Receiver.Framing;

/// <summary>Cuts a byte stream into lines ended by LF or CRLF, with a bounded line length. One per connection:
/// it remembers when it is skipping the rest of an over-long line across reads.</summary>
public sealed class LineFramer
{
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';
    private readonly int _maxLineLength;
    private byte[]? _scratch;
    private bool _skippingTooLong;
    // The first bytes of the over-long line being skipped: a #SEQ there is answered NAK when the line ends.
    private readonly byte[] _skipStart = new byte[StartKept];
    private int _skipStartLength;
    private const int StartKept = 24;

    public LineFramer(int maxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        _maxLineLength = maxLineLength;
    }

    /// <summary>Hands every complete line in <paramref name="buffer"/> to <paramref name="consumer"/> and returns how
    /// far the buffer is consumed; the caller keeps the rest (a line still arriving) for the next read.</summary>
    /// <param name="final">No more bytes will come: the unterminated rest is handed over too.</param>
    /// <param name="finalRestIsComplete">The end of the buffer ends a line (a UDP datagram), so the rest is not partial.</param>
    public SequencePosition Frame(in ReadOnlySequence<byte> buffer, bool final, ILineConsumer consumer, bool finalRestIsComplete = false)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            // Fast path: lines that lie within the current segment are cut with a span search, without the
            // sequence reader's per-line bookkeeping. A line that crosses segments takes the general path below.
            if (!_skippingTooLong)
            {
                var span = reader.UnreadSpan;
                var start = 0;
                int lf;
                while ((lf = span[start..].IndexOf(Lf)) >= 0)
                {
                    EmitSpan(span.Slice(start, lf), partial: false, consumer);
                    start += lf + 1;
                }
                reader.Advance(start);
            }

            if (_skippingTooLong)
            {
                if (reader.TryAdvanceTo(Lf, advancePastDelimiter: true))
                {
                    _skippingTooLong = false;
                    consumer.OnDrop(LineDrop.TooLong, _skipStart.AsSpan(0, _skipStartLength));
                    continue;
                }
                reader.AdvanceToEnd();
                if (final)
                {
                    _skippingTooLong = false;
                    consumer.OnDrop(LineDrop.TooLong, _skipStart.AsSpan(0, _skipStartLength));
                }
                return reader.Position;
            }

            if (reader.TryReadTo(out ReadOnlySequence<byte> line, Lf))
            {
                Emit(line, partial: false, consumer);
                continue;
            }

            var rest = reader.UnreadSequence;
            // +1: a line of exactly the limit may be waiting for the LF after its CR.
            if (rest.Length > _maxLineLength + 1)
            {
                _skipStartLength = (int)Math.Min(StartKept, rest.Length);
                rest.Slice(0, _skipStartLength).CopyTo(_skipStart);
                reader.AdvanceToEnd();
                if (final) consumer.OnDrop(LineDrop.TooLong, _skipStart.AsSpan(0, _skipStartLength));
                else _skippingTooLong = true;
                return reader.Position;
            }
            if (final && !rest.IsEmpty)
            {
                Emit(rest, partial: !finalRestIsComplete, consumer);
                reader.AdvanceToEnd();
            }
            return reader.Position;
        }
    }

    private void Emit(in ReadOnlySequence<byte> line, bool partial, ILineConsumer consumer)
    {
        var length = line.Length;
        if (length > _maxLineLength + 1)
        {
            var start = line.FirstSpan;
            if (start.Length < StartKept && !line.IsSingleSegment)
            {
                _skipStartLength = (int)Math.Min(StartKept, length);
                line.Slice(0, _skipStartLength).CopyTo(_skipStart);
                start = _skipStart.AsSpan(0, _skipStartLength);
            }
            consumer.OnDrop(LineDrop.TooLong, start);
            return;
        }
        ReadOnlySpan<byte> span;
        if (line.IsSingleSegment)
        {
            span = line.FirstSpan;
        }
        else
        {
            _scratch ??= new byte[_maxLineLength + 1];
            line.CopyTo(_scratch);
            span = _scratch.AsSpan(0, (int)length);
        }
        EmitSpan(span, partial, consumer);
    }

    private void EmitSpan(ReadOnlySpan<byte> span, bool partial, ILineConsumer consumer)
    {
        if (!span.IsEmpty && span[^1] == Cr) span = span[..^1];
        if (span.Length > _maxLineLength)
        {
            consumer.OnDrop(LineDrop.TooLong, span);
            return;
        }
        consumer.OnLine(span, partial);
    }
}
