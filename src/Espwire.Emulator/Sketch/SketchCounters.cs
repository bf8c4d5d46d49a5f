namespace Espwire.Emulator.Sketch;

/// <summary>What one module's sketch did with its readings, for a demo's summary and for tests.</summary>
public sealed class SketchCounters
{
    private long _produced;
    private long _acknowledged;
    private long _dropped;
    private long _pending;

    /// <summary>Readings the sketch made (each loop's value).</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>Readings the receiver acknowledged as stored (Espwire sketch only).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Readings dropped because the ring was full (Espwire sketch only).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Readings kept and not yet acknowledged (Espwire sketch only).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    internal void AddProduced() => Interlocked.Increment(ref _produced);

    internal void AddAcknowledged(long n) => Interlocked.Add(ref _acknowledged, n);

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    internal void SetPending(long n) => Interlocked.Exchange(ref _pending, n);
}
