using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Unicode;
using Espwire.Receiver.Framing;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>Turns framed lines from one connection (or one UDP datagram) into readings: checks the text, handles
/// <c>@id NAME</c> and the acknowledgement protocol's <c>@id NAME ack</c> and <c>#SEQ PAYLOAD</c>
/// (docs/ack-protocol.md), parses values. Collects them into a part the caller enqueues once per socket read.</summary>
internal sealed class LineDecoder : ILineConsumer
{
    private const int MaxDeviceIdLength = 128;
    private const int MaxAckNameLength = 64;
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);
    private static readonly SearchValues<byte> NameBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"u8);
    private static readonly SearchValues<byte> AckWordBytes = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789"u8);
    private static ReadOnlySpan<byte> IdPrefix => "@id "u8;

    private readonly ReceiverCore _core;
    private readonly IPEndPoint _remote;
    private readonly Transport _transport;
    private readonly Func<AckTarget?>? _ackFactory;
    private List<Reading>? _batch;
    private AckTarget? _ack;
    private bool _sequenced;
    private int _noticedDrops;
    private long _now;
    private int _empty;
    private int _partial;
    private int _received;
    private int _malformed;

    public LineDecoder(ReceiverCore core, IPEndPoint remote, Transport transport, Func<AckTarget?>? ackFactory = null)
    {
        _core = core;
        _remote = remote;
        _transport = transport;
        _ackFactory = ackFactory;
        Device = core.DeviceNameOf(remote.Address);
    }

    /// <summary>The device this connection's lines belong to until an <c>@id</c> line says otherwise.</summary>
    public string Device { get; private set; }

    /// <summary>The answers of this connection, once its hello asked for acknowledgements.</summary>
    public AckTarget? Ack => _ack;

    /// <summary>Sets the receive time for the lines of the next read.</summary>
    public void Stamp(long nowMicros) => _now = nowMicros;

    public void OnLine(ReadOnlySpan<byte> line, bool partial)
    {
        if (line.IsEmpty)
        {
            _empty++;
            return;
        }
        string raw;
        ParsedLine parsed;
        // Fast path, the common case: printable ASCII is valid UTF-8 without control bytes, and a bare number
        // (the seed's counter) parses straight from the bytes.
        if (line.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0)
        {
            if (line[0] == (byte)'@' && line.StartsWith(IdPrefix))
            {
                DeclareId(line);
                return;
            }
            if (line[0] == (byte)'#' && OnSequenced(line, partial)) return;
            raw = Encoding.ASCII.GetString(line);
            if (System.Buffers.Text.Utf8Parser.TryParse(line, out double number, out var consumed) && consumed == line.Length && double.IsFinite(number))
            {
                if (partial) _partial++;
                _received++;
                Batch().Add(new Reading(Device, _remote, _transport, _now, raw, number,
                    partial ? ReadingFlags.Partial : ReadingFlags.None));
                return;
            }
            parsed = ReadingParser.Parse(raw);
        }
        else
        {
            if (!Utf8.IsValid(line))
            {
                OnDrop(LineDrop.InvalidUtf8, line);
                return;
            }
            if (line.ContainsAny(ControlBytes))
            {
                OnDrop(LineDrop.Binary, line);
                return;
            }
            if (line.StartsWith(IdPrefix))
            {
                DeclareId(line);
                return;
            }
            if (line[0] == (byte)'#' && OnSequenced(line, partial)) return;
            raw = Encoding.UTF8.GetString(line);
            parsed = ReadingParser.Parse(raw);
        }
        Add(raw, parsed, partial, 0);
    }

    private void Add(string raw, ParsedLine parsed, bool partial, long seq)
    {
        var device = parsed.DeclaredId is { Length: <= MaxDeviceIdLength } declared ? declared : Device;
        if (partial) _partial++;
        _received++;
        var reading = new Reading(device, _remote, _transport, _now, raw, parsed.Format, parsed.Values,
            partial ? ReadingFlags.Partial : ReadingFlags.None);
        if (seq > 0)
        {
            reading.Sequence = seq;
            reading.HasDeviceSequence = true;
        }
        Batch().Add(reading);
    }

    /// <summary>A line starting with <c>#</c> (valid text). False: not <c>#SEQ PAYLOAD</c>, so a plain reading.</summary>
    private bool OnSequenced(ReadOnlySpan<byte> line, bool partial)
    {
        if (!TryParseSeq(line, out var seq, out var payloadStart))
        {
            _malformed++;
            return false;
        }
        var payload = line[payloadStart..];
        if (partial)
        {
            // Cut off by a close or reset: kept, flagged partial, as sent and without claiming its seq, so the
            // whole line the device resends is stored rather than treated as a duplicate of this fragment.
            _partial++;
            _received++;
            _sequenced = true;
            var text = Encoding.UTF8.GetString(line);
            var parsedPartial = ReadingParser.Parse(text);
            Batch().Add(new Reading(Device, _remote, _transport, _now, text, parsedPartial.Format, parsedPartial.Values, ReadingFlags.Partial) { HasDeviceSequence = true });
            return true;
        }
        if (payload.IsEmpty)
        {
            _empty++;
            Nak(seq, "empty");
            return true;
        }
        _sequenced = true;
        // The common case, as for plain lines: a bare number in printable ASCII parses straight from the bytes.
        if (payload.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0
            && System.Buffers.Text.Utf8Parser.TryParse(payload, out double number, out var consumed) && consumed == payload.Length && double.IsFinite(number))
        {
            _received++;
            Batch().Add(new Reading(Device, _remote, _transport, _now, Encoding.ASCII.GetString(payload), number, ReadingFlags.None)
            {
                Sequence = seq,
                HasDeviceSequence = true,
            });
            return true;
        }
        var raw = Encoding.UTF8.GetString(payload);
        Add(raw, ReadingParser.Parse(raw), partial: false, seq);
        return true;
    }

    /// <summary><c>#</c>, 1 to 19 digits making 1..2^63-1, one space: the rest is the payload.</summary>
    internal static bool TryParseSeq(ReadOnlySpan<byte> line, out long seq, out int payloadStart)
    {
        seq = 0;
        payloadStart = 0;
        var space = line.IndexOf((byte)' ');
        if (line.Length < 3 || line[0] != (byte)'#' || space < 2 || space > 20) return false;
        var digits = line[1..space];
        if (digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return false;
        if (!System.Buffers.Text.Utf8Parser.TryParse(digits, out seq, out var consumed) || consumed != digits.Length || seq < 1)
        {
            seq = 0;
            return false;
        }
        payloadStart = space + 1;
        return true;
    }

    private void DeclareId(ReadOnlySpan<byte> line)
    {
        var rest = line[IdPrefix.Length..].Trim((byte)' ');
        // "@id NAME ack" (version 1) asks for acknowledgements; "@id NAME ack2" and other later words name the
        // device and ask for nothing this receiver knows.
        var space = rest.LastIndexOf((byte)' ');
        if (space > 0 && space <= MaxAckNameLength && rest[..space].IndexOfAnyExcept(NameBytes) < 0 && IsAckWord(rest[(space + 1)..]))
        {
            Device = Encoding.ASCII.GetString(rest[..space]);
            if (rest[(space + 1)..].SequenceEqual("ack"u8)) Hello();
            return;
        }
        var id = Encoding.UTF8.GetString(rest).Trim();
        if (id.Length > 0 && id.Length <= MaxDeviceIdLength) Device = id;
    }

    private static bool IsAckWord(ReadOnlySpan<byte> word) =>
        word.StartsWith("ack"u8) && word[3..].IndexOfAnyExcept(AckWordBytes) < 0;

    private void Hello()
    {
        Interlocked.Increment(ref _core.Stats.Hellos);
        _core.AckHello?.Invoke(Device);
        if (!_core.AcknowledgementsEnabled) return;
        _ack ??= _ackFactory?.Invoke();
        if (_ack is null) return;
        _sequenced = true;
        Batch().Add(Reading.MarkerFor(ReplyMarker.Hello, Device, _remote, _transport));
    }

    private void Nak(long seq, string reason)
    {
        if (_ack is null) return;
        Batch().Add(Reading.MarkerFor(ReplyMarker.Nak, Device, _remote, _transport, seq, reason));
    }

    private List<Reading> Batch()
    {
        if (_batch is null) return _batch = _sequenced ? new SequencedPart(_ack) : _core.Queue.RentList();
        if (_sequenced && _batch is not SequencedPart)
        {
            // The first #SEQ or hello of this read: the plain lines before it move to a part the writer walks.
            var part = new SequencedPart(_ack);
            part.AddRange(_batch);
            _core.Queue.ReturnList(_batch);
            _batch = part;
        }
        return _batch;
    }

    public void OnDrop(LineDrop drop) => OnDrop(drop, default);

    public void OnDrop(LineDrop drop, ReadOnlySpan<byte> lineStart)
    {
        _core.Stats.Count(drop);
        if (_ack is not null && TryParseSeq(lineStart, out var seq, out _))
        {
            Nak(seq, drop switch
            {
                LineDrop.TooLong => "too-long",
                LineDrop.InvalidUtf8 => "invalid-utf8",
                _ => "control-bytes",
            });
        }
        // One notice per connection and kind: a flood of garbage is counted, not printed line by line.
        var bit = 1 << (int)drop;
        if ((_noticedDrops & bit) != 0) return;
        _noticedDrops |= bit;
        var what = drop switch
        {
            LineDrop.TooLong => $"a line longer than {_core.Options.MaxLineLength} bytes",
            LineDrop.InvalidUtf8 => "a line that is not valid UTF-8",
            _ => "a line of binary garbage (control bytes)",
        };
        _core.Notify(new Server.ReceiverNotice(NoticeKind.Dropped,
            $"Dropped {what} from {ReceiverCore.Describe(_remote)}; further drops of this kind on this {(_transport == Transport.Udp ? "datagram" : "connection")} are only counted.", _remote));
    }

    /// <summary>The readings decoded since the last call, or null; the counters are published at the same time.</summary>
    public List<Reading>? TakeBatch()
    {
        if (_empty != 0) { Interlocked.Add(ref _core.Stats.EmptyLines, _empty); _empty = 0; }
        if (_partial != 0) { Interlocked.Add(ref _core.Stats.PartialLines, _partial); _partial = 0; }
        if (_malformed != 0) { Interlocked.Add(ref _core.Stats.MalformedSeq, _malformed); _malformed = 0; }
        if (_received != 0) { Interlocked.Add(ref _core.Stats.ReadingsReceived, _received); _received = 0; }
        var batch = _batch;
        _batch = null;
        if (batch is SequencedPart part)
        {
            part.Target = _ack;
            _ack?.PartQueued();
        }
        return batch;
    }
}
