namespace Espwire.Receiver.Sinks;

/// <summary>A filter for stored readings (<c>espwire readings</c>).</summary>
public sealed record ReadingQuery
{
    public string? Device { get; init; }
    public DateTimeOffset? Since { get; init; }
    /// <summary>The newest N readings, returned oldest first.</summary>
    public int Limit { get; init; } = 100;
}
