using Espwire.Flasher.Commands;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Reset;
using Espwire.Ports;

namespace Espwire.Flasher.Connection;

/// <summary>Resets the module into download mode and synchronises with the ROM.</summary>
public static class BootloaderConnector
{
    /// <summary>The ESP8266 ROM answers one SYNC with 8 identical replies; the 7 extra must not be taken for later replies.</summary>
    public const int SyncReplies = 8;

    public static async Task<BootloaderConnection> ConnectAsync(IDeviceLink link, ConnectOptions options, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(options);
        var connection = new BootloaderConnection(link) { TimeoutScale = options.TimeoutScale };
        var strategies = options.Strategies ?? ResetSequence.For(options.Before, link);
        var resetUsed = strategies.Any(s => s is not NoReset);
        if (options.Strategies is null && options.Before != BeforeAction.NoReset && !link.SupportsSignals)
            log?.Report($"No reset: {link.Name} carries no DTR/RTS lines. Assuming the module is in download mode (GPIO0 low).");
        for (var attempt = 0; attempt < options.Attempts; attempt++)
        {
            var strategy = strategies[attempt % strategies.Count];
            try
            {
                await strategy.ResetAsync(link, cancellationToken).ConfigureAwait(false);
            }
            catch (PortException e)
            {
                // A pseudo-terminal or an adapter without modem lines: the module must already be in download mode.
                log?.Report($"No reset: {e.Message} Assuming the module is in download mode (GPIO0 low).");
                strategies = [new NoReset()];
                resetUsed = false;
            }
            await connection.DiscardInputAsync(cancellationToken).ConfigureAwait(false);
            if (await TrySyncAsync(connection, options.SyncsPerAttempt, cancellationToken).ConfigureAwait(false))
                return connection;
        }
        throw new ConnectException(link.Name, options.Attempts, connection.NoiseText.Trim('.', ' '), resetUsed, connection.EchoedFrames > 0);
    }

    /// <summary>Sends up to <paramref name="syncs"/> SYNCs; on the first reply drains the rest of the 8.</summary>
    public static async Task<bool> TrySyncAsync(BootloaderConnection connection, int syncs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        for (var i = 0; i < syncs; i++)
        {
            try
            {
                var reply = await connection.ExecuteAsync(new SyncCommand(), cancellationToken).ConfigureAwait(false);
                // The ROM answers 0x20120707; a stub left running by an earlier session answers 0 (esptool's sync_stub_detected).
                if (reply.Value == 0) connection.IsStub = true;
            }
            catch (NoReplyException)
            {
                continue;
            }
            catch (DeviceErrorException)
            {
                continue;
            }
            await connection.DrainAsync(TimeSpan.FromMilliseconds(100) * connection.TimeoutScale, SyncReplies - 1 + 8, cancellationToken).ConfigureAwait(false);
            return true;
        }
        return false;
    }
}
