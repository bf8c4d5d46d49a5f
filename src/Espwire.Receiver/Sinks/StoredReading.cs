namespace Espwire.Receiver.Sinks;

/// <summary>A row of the <c>readings</c> table.</summary>
public sealed record StoredReading(long Id, string Device, long Sequence, long ReceivedAtMicros, string Remote,
    string Transport, string Raw, string Format, double? Value, string? ValuesJson, bool Partial)
{
    public DateTimeOffset ReceivedAt => TimeOf(ReceivedAtMicros);

    internal static DateTimeOffset TimeOf(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    internal static long MicrosOf(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
