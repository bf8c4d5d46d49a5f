namespace Espwire.Receiver.Sinks;

/// <summary>A filter for stored readings (<c>espwire readings</c>, <c>GET /api/readings</c>).</summary>
public sealed record ReadingQuery
{
    public string? Device { get; init; }

    /// <summary>Only readings received at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only readings received before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only readings stored after this row id (<c>--follow</c> asks for what came since its last row).</summary>
    public long? AfterId { get; init; }

    /// <summary>The newest N readings, returned oldest first; null for every matching reading.</summary>
    public int? Limit { get; init; } = 100;
}
