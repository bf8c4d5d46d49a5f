using System.Globalization;

namespace Espwire.Cli.Receiver;

/// <summary><c>--since</c>: an ISO 8601 time (<c>2026-11-25T21:00:00Z</c>, <c>2026-11-25</c>) or an age
/// (<c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>).</summary>
internal static class SinceParser
{
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        var value = text.Trim();
        if (value.Length >= 2 && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            TimeSpan? age = char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } a) return now - a;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        throw new UsageException($"--since '{text}' is neither a time nor an age. Examples: --since 15m, --since 2h, --since 2026-11-25T21:00:00Z.");
    }
}
