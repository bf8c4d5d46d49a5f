using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Unicode;
using Espwire.Receiver.Framing;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>Turns framed lines from one connection (or one UDP datagram) into readings: checks the text, handles
/// <c>@id NAME</c>, parses values. Collects them into a batch the caller enqueues once per socket read.</summary>
internal sealed class LineDecoder : ILineConsumer
{
    private const int MaxDeviceIdLength = 128;
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);
    private static ReadOnlySpan<byte> IdPrefix => "@id "u8;

    private readonly ReceiverCore _core;
    private readonly IPEndPoint _remote;
    private readonly Transport _transport;
    private List<Reading>? _batch;
    private int _noticedDrops;
    private long _now;
    private int _empty;
    private int _partial;

    public LineDecoder(ReceiverCore core, IPEndPoint remote, Transport transport)
    {
        _core = core;
        _remote = remote;
        _transport = transport;
        Device = core.DeviceNameOf(remote.Address);
    }

    /// <summary>The device this connection's lines belong to until an <c>@id</c> line says otherwise.</summary>
    public string Device { get; private set; }

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
            raw = Encoding.ASCII.GetString(line);
            if (System.Buffers.Text.Utf8Parser.TryParse(line, out double number, out var consumed) && consumed == line.Length && double.IsFinite(number))
            {
                if (partial) _partial++;
                (_batch ??= _core.Queue.RentList()).Add(new Reading(Device, _remote, _transport, _now, raw, number,
                    partial ? ReadingFlags.Partial : ReadingFlags.None));
                return;
            }
            parsed = ReadingParser.Parse(raw);
        }
        else
        {
            if (!Utf8.IsValid(line))
            {
                OnDrop(LineDrop.InvalidUtf8);
                return;
            }
            if (line.ContainsAny(ControlBytes))
            {
                OnDrop(LineDrop.Binary);
                return;
            }
            if (line.StartsWith(IdPrefix))
            {
                DeclareId(line);
                return;
            }
            raw = Encoding.UTF8.GetString(line);
            parsed = ReadingParser.Parse(raw);
        }
        var device = parsed.DeclaredId is { Length: <= MaxDeviceIdLength } declared ? declared : Device;
        if (partial) _partial++;
        (_batch ??= _core.Queue.RentList()).Add(new Reading(device, _remote, _transport, _now, raw, parsed.Format,
            parsed.Values, partial ? ReadingFlags.Partial : ReadingFlags.None));
    }

    private void DeclareId(ReadOnlySpan<byte> line)
    {
        var id = Encoding.UTF8.GetString(line[IdPrefix.Length..]).Trim();
        if (id.Length > 0 && id.Length <= MaxDeviceIdLength) Device = id;
    }

    public void OnDrop(LineDrop drop)
    {
        _core.Stats.Count(drop);
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
        var batch = _batch;
        _batch = null;
        if (batch is not null) Interlocked.Add(ref _core.Stats.ReadingsReceived, batch.Count);
        return batch;
    }
}
