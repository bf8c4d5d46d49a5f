using Espwire.Receiver.Sinks;

namespace Espwire.Cli.Receiver;

/// <summary><c>--since</c>: an ISO 8601 time (<c>2026-11-25T21:00:00Z</c>, <c>2026-11-25</c>) or an age
/// (<c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>); the rules are the receiver's (<see cref="ReadingTime"/>), shared with its API.</summary>
internal static class SinceParser
{
    public static DateTimeOffset Parse(string text, DateTimeOffset now) =>
        ReadingTime.TryParse(text, now, out var time)
            ? time
            : throw new UsageException($"--since '{text}' is neither a time nor an age. Examples: --since 15m, --since 2h, --since 2026-11-25T21:00:00Z.");
}
