using Espwire.At.Commands;

namespace Espwire.At.Lifetime;

/// <summary>
/// What to do when the module restarts under us, in one place for the typed API and <c>espwire at</c>. Opening a
/// port often resets the board (DTR/RTS on a NodeMCU, power-on in the emulator): a command sent during the boot
/// is lost, and a late answer to it must not pair with the next command.
/// </summary>
public static class ResetRecovery
{
    /// <summary>How long the module must stay quiet before the boot counts as over, and the longest wait for that.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan QuietLimit = TimeSpan.FromSeconds(3);

    /// <summary>Waits until the boot text has ended and forgets the reset.</summary>
    public static async Task WaitForBootToEndAsync(AtChannel channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        await channel.WaitForQuietAsync(Quiet, QuietLimit, cancellationToken).ConfigureAwait(false);
        channel.ResetSeen = false;
    }

    /// <summary>
    /// Runs <paramref name="exchange"/>; when the module restarts during it, waits for the boot to end and runs it
    /// once more (<paramref name="resending"/> is told first). A second restart is a real problem and is thrown.
    /// </summary>
    public static async Task<AtResponse> RunAgainAfterResetAsync(AtChannel channel, Exchange exchange, Action? resending = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        try
        {
            return await channel.RunAsync(exchange, cancellationToken).ConfigureAwait(false);
        }
        catch (ModuleResetException)
        {
            await WaitForBootToEndAsync(channel, cancellationToken).ConfigureAwait(false);
            resending?.Invoke();
            return await channel.RunAsync(exchange, cancellationToken).ConfigureAwait(false);
        }
    }
}
