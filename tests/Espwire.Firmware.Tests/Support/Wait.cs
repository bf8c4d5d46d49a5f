namespace Espwire.Firmware.Tests.Support;

/// <summary>Polls a condition with a generous ceiling: the machine is shared and loaded.</summary>
public static class Wait
{
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(90);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? ceiling = null, Func<string>? context = null)
    {
        var until = DateTime.UtcNow + (ceiling ?? Ceiling);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("timed out waiting for " + what + (context is null ? "" : ":\n" + context()));
            await Task.Delay(20);
        }
    }
}
