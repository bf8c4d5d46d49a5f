using System.Globalization;

namespace Espwire.Receiver.Sinks;

/// <summary>Times as users write them for <c>--since</c> and <c>?since=</c>/<c>?until=</c>: an ISO 8601 time
/// (<c>2026-11-25T21:00:00Z</c>, <c>2026-11-25</c>; UTC unless it says otherwise) or an age before now
/// (<c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>).</summary>
public static class ReadingTime
{
    public const string Examples = "15m, 2h, 7d, 2026-11-25T21:00:00Z";

    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset time)
    {
        var value = text.Trim();
        if (value.Length >= 2 && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            && amount >= 0 && double.IsFinite(amount))
        {
            TimeSpan? age = char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(Math.Min(amount, 1e11)),
                'm' => TimeSpan.FromMinutes(Math.Min(amount, 1e9)),
                'h' => TimeSpan.FromHours(Math.Min(amount, 1e7)),
                'd' => TimeSpan.FromDays(Math.Min(amount, 1e6)),
                _ => null,
            };
            if (age is { } a)
            {
                time = a >= now - DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : now - a;
                return true;
            }
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
