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
        Values = values;
        Flags = flags;
    }

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

    public IReadOnlyList<ReadingValue> Values { get; }

    public ReadingFlags Flags { get; }

    public DateTimeOffset ReceivedAt => DateTimeOffset.UnixEpoch.AddTicks(ReceivedAtMicros * 10);

    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
