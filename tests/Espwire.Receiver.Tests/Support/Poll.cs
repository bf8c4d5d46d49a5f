namespace Espwire.Receiver.Tests.Support;

/// <summary>Waits for a condition by polling it, with a generous ceiling (no sleeps as synchronisation).</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? ceiling = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (ceiling ?? TestReceiver.Patience);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}.");
            await Task.Delay(10);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? ceiling = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (ceiling ?? TestReceiver.Patience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}.");
            await Task.Delay(20);
        }
    }
}
