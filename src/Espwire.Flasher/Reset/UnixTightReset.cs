using Espwire.Ports;

namespace Espwire.Flasher.Reset;

/// <summary>
/// The classic sequence with both lines given in every step (esptool's and espflash's UnixTightReset): a serial
/// link sets them with one TIOCMSET on Linux and macOS (<see cref="Espwire.Ports.Modem.ModemLines"/>), since some
/// adapters glitch when DTR and RTS change separately, leaving both asserted and the chip in reset.
/// </summary>
public sealed class UnixTightReset(TimeSpan delay) : IResetStrategy
{
    public TimeSpan Delay { get; } = delay;

    public string Name => $"unix-tight ({Delay.TotalMilliseconds:0} ms)";

    public async Task ResetAsync(IDeviceLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await link.SetSignalsAsync(dtr: false, rts: false, cancellationToken).ConfigureAwait(false);
        await link.SetSignalsAsync(dtr: true, rts: true, cancellationToken).ConfigureAwait(false);
        await link.SetSignalsAsync(dtr: false, rts: true, cancellationToken).ConfigureAwait(false);   // IO0 high, EN low
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        await link.SetSignalsAsync(dtr: true, rts: false, cancellationToken).ConfigureAwait(false);   // IO0 low, EN high
        await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
        await link.SetSignalsAsync(dtr: false, rts: false, cancellationToken).ConfigureAwait(false);
    }
}
