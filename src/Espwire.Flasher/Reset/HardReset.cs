using Espwire.Ports;

namespace Espwire.Flasher.Reset;

/// <summary>Resets the module with GPIO0 high so it boots the application: pulse EN through RTS.</summary>
public sealed class HardReset : IResetStrategy
{
    public string Name => "hard reset";

    public async Task ResetAsync(IDeviceLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await link.SetSignalsAsync(dtr: false, rts: true, cancellationToken).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        await link.SetSignalsAsync(dtr: false, rts: false, cancellationToken).ConfigureAwait(false);
    }
}
