using Espwire.Ports;

namespace Espwire.Flasher.Reset;

/// <summary>
/// The classic auto-reset sequence for the two-transistor circuit (DTR drives GPIO0, RTS drives EN, both active
/// low): hold EN low with GPIO0 high, release EN while GPIO0 is low, wait, release GPIO0.
/// </summary>
public sealed class ClassicReset(TimeSpan delay) : IResetStrategy
{
    public TimeSpan Delay { get; } = delay;

    public string Name => $"classic ({Delay.TotalMilliseconds:0} ms)";

    public async Task ResetAsync(IDeviceLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await link.SetSignalsAsync(dtr: false, rts: true, cancellationToken).ConfigureAwait(false);   // IO0 high, EN low
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        await link.SetSignalsAsync(dtr: true, rts: false, cancellationToken).ConfigureAwait(false);   // IO0 low, EN high: boots into download mode
        await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
        await link.SetSignalsAsync(dtr: false, rts: null, cancellationToken).ConfigureAwait(false);   // release IO0
    }
}
