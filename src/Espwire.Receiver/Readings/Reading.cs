using System.Net;

namespace Espwire.Receiver.Readings;

/// <summary>One line a device sent: who, from where, when, and what it said.</summary>
public sealed class Reading
{
    public Reading(string device, IPEndPoint remote, Transport transport, long receivedAtMicros, string raw,
        ReadingFormat format, ReadingValue[] values, ReadingFlags flags)
    {
        Device = device;
        Remote = remote;
        Transport = transport;
        ReceivedAtMicros = receivedAtMicros;
        Raw = raw;
        Format = format;
        _values = values;
        Flags = flags;
    }

    /// <summary>A bare-number reading (the seed's counter): its value is kept unboxed, and the one-element list is
    /// only made if someone asks for <see cref="Values"/>, so queued readings stay small.</summary>
    public Reading(string device, IPEndPoint remote, Transport transport, long receivedAtMicros, string raw,
        double number, ReadingFlags flags)
    {
        Device = device;
        Remote = remote;
        Transport = transport;
        ReceivedAtMicros = receivedAtMicros;
        Raw = raw;
        Format = ReadingFormat.Number;
        _number = number;
        Flags = flags;
    }

    private readonly ReadingValue[]? _values;
    private readonly double _number;

    /// <summary>The source IP by default (the seed's sketch changes source port on every connection), or the id
    /// the device declared with <c>@id NAME</c> or a JSON <c>id</c> field.</summary>
    public string Device { get; }

    public IPEndPoint Remote { get; }

    public Transport Transport { get; }

    /// <summary>When the bytes were read from the socket: microseconds since 1970-01-01 UTC.</summary>
    public long ReceivedAtMicros { get; }

    /// <summary>Per-device arrival number, 1, 2, 3...; assigned by the single writer so it matches storage order,
    /// and continued across restarts when the database already holds the device.</summary>
    public long Sequence { get; internal set; }

    /// <summary>The line as sent, without its LF or CRLF.</summary>
    public string Raw { get; }

    public ReadingFormat Format { get; }

    public IReadOnlyList<ReadingValue> Values => _values ?? [new ReadingValue(ReadingParser.ValueName, _number)];

    /// <summary>The first value (the seed's counter for a bare number), or null for text.</summary>
    public double? FirstValue => _values is null ? _number : _values.Length > 0 ? _values[0].Value : null;

    public ReadingFlags Flags { get; }

    public DateTimeOffset ReceivedAt => DateTimeOffset.UnixEpoch.AddTicks(ReceivedAtMicros * 10);

    /// <summary>The device gave this reading's seq itself (<c>#SEQ PAYLOAD</c>): the writer keeps it and drops duplicates.</summary>
    internal bool HasDeviceSequence;

    /// <summary>Not a reading but a place in the queue's order: a hello waiting for its <c>ACK</c>, or a <c>NAK</c>.</summary>
    internal ReplyMarker Marker;

    /// <summary>The reason word of a <see cref="ReplyMarker.Nak"/>.</summary>
    internal string? NakReason;

    /// <summary>A marker: never stored, it tells the writer to answer when everything ahead of it is committed.</summary>
    internal static Reading MarkerFor(ReplyMarker marker, string device, IPEndPoint remote, Transport transport, long sequence = 0, string? reason = null) =>
        new(device, remote, transport, 0, "", 0, ReadingFlags.None) { Marker = marker, Sequence = sequence, NakReason = reason };

    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
