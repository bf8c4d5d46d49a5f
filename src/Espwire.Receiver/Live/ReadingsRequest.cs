using System.Globalization;
using Espwire.Receiver.Sinks;
using Microsoft.AspNetCore.Http;

namespace Espwire.Receiver.Live;

/// <summary>The filters of <c>/api/readings</c>, <c>/api/readings.csv</c>: <c>device</c>, <c>since</c> and <c>until</c>
/// (an age such as <c>15m</c> or an ISO time), <c>limit</c> (the newest N, 1..<see cref="MaxLimit"/>).</summary>
internal static class ReadingsRequest
{
    public const int MaxLimit = 100_000;

    /// <summary>The query, or the reason it is not one (for a 400).</summary>
    public static (ReadingQuery? Query, string? Error) Parse(IQueryCollection q, int? defaultLimit, DateTimeOffset now)
    {
        var query = new ReadingQuery { Device = NonEmpty(q["device"]), Limit = defaultLimit };
        if (NonEmpty(q["since"]) is { } since)
        {
            if (!ReadingTime.TryParse(since, now, out var t)) return (null, $"since '{since}' is neither an age nor a time; examples: {ReadingTime.Examples}.");
            query = query with { Since = t };
        }
        if (NonEmpty(q["until"]) is { } until)
        {
            if (!ReadingTime.TryParse(until, now, out var t)) return (null, $"until '{until}' is neither an age nor a time; examples: {ReadingTime.Examples}.");
            query = query with { Until = t };
        }
        if (query.Since is { } s && query.Until is { } u && u < s) return (null, "until is before since; swap them.");
        if (NonEmpty(q["limit"]) is { } limit)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > MaxLimit)
                return (null, $"limit '{limit}' must be a whole number from 1 to {MaxLimit}.");
            query = query with { Limit = n };
        }
        return (query, null);
    }

    /// <summary>Where a stream resumes: the <c>Last-Event-ID</c> header a reconnecting browser sends, else <c>?after=</c>.</summary>
    public static (long? After, string? Error) ResumePoint(HttpRequest request)
    {
        var text = NonEmpty(request.Headers["Last-Event-ID"]) ?? NonEmpty(request.Query["after"]);
        if (text is null) return (null, null);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (id, null)
            : (null, $"Last-Event-ID / after '{text}' must be an event id (a whole number) from this stream.");
    }

    private static string? NonEmpty(Microsoft.Extensions.Primitives.StringValues values) =>
        values.FirstOrDefault() is { Length: > 0 } v ? v : null;
}
