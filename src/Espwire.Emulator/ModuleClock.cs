namespace Espwire.Emulator;

/// <summary>
/// Simulated time: joins, scans, pings and boots take their real durations multiplied by <see cref="Scale"/>
/// (1 = real time, 0.01 = a hundred times faster, 0 = instant), so tests run fast and demos look real.
/// </summary>
public sealed class ModuleClock
{
    public ModuleClock(double scale)
    {
        if (double.IsNaN(scale) || scale < 0 || scale > 100)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The time scale must be between 0 and 100 (1 = real time).");
        Scale = scale;
    }

    public double Scale { get; }

    public TimeSpan Scaled(TimeSpan simulated) => simulated * Scale;

    /// <summary>Waits for a simulated duration.</summary>
    public Task DelayAsync(TimeSpan simulated, CancellationToken cancellationToken)
    {
        var real = Scaled(simulated);
        if (real <= TimeSpan.Zero)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }
        return Task.Delay(real, cancellationToken);
    }

    public Task DelayAsync(int simulatedMilliseconds, CancellationToken cancellationToken)
        => DelayAsync(TimeSpan.FromMilliseconds(simulatedMilliseconds), cancellationToken);
}
