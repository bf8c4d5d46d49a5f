namespace Espwire.Testing;

/// <summary>
/// Waits for a condition that has no event to wait on (a row in a database, a counter of the code under test) by
/// polling it, with a generous ceiling (<see cref="TestTimeouts.Patience"/> unless told). The poll interval only
/// bounds how soon the change is seen; nothing is assumed to have happened after any amount of time.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> (and <paramref name="context"/>, e.g. what a process printed) when the ceiling passes.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? ceiling = null, Func<string>? context = null)
        => UntilAsync(() => Task.FromResult(condition()), what, ceiling, context);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? ceiling = null, Func<string>? context = null)
    {
        var limit = ceiling ?? TestTimeouts.Patience;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (watch.Elapsed > limit)
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}." + (context is null ? "" : "\n" + context()));
            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }
}
