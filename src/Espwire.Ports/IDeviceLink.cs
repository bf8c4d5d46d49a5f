namespace Espwire.Ports;

/// <summary>
/// An open link to a device's UART: a raw byte stream plus, where the link carries them,
/// the baud rate and the DTR/RTS modem lines (used to reset an ESP8266 into download mode).
/// </summary>
public interface IDeviceLink : IAsyncDisposable
{
    /// <summary>The port string this link was opened from, e.g. <c>/dev/ttyUSB0</c> or <c>socket://127.0.0.1:4000</c>.</summary>
    string Name { get; }

    /// <summary>Bytes to and from the device. Reads return 0 only when the link is closed.</summary>
    Stream Stream { get; }

    /// <summary>True when <see cref="SetSignalsAsync"/> reaches real DTR/RTS lines (serial, rfc2217).</summary>
    bool SupportsSignals { get; }

    /// <summary>True when <see cref="SetBaudRateAsync"/> changes the line's speed (serial, rfc2217).</summary>
    bool SupportsBaudRate { get; }

    /// <summary>The baud rate currently set on the link.</summary>
    int BaudRate { get; }

    /// <summary>Changes the host side's baud rate. On links without a baud rate this only records the value.</summary>
    Task SetBaudRateAsync(int baudRate, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the modem lines. <c>true</c> means asserted (the line is driven low, as pyserial's <c>dtr = True</c>);
    /// <c>null</c> leaves a line as it is. A no-op on links without signals.
    /// </summary>
    Task SetSignalsAsync(bool? dtr, bool? rts, CancellationToken cancellationToken = default);

    /// <summary>Drops bytes received but not yet read.</summary>
    Task DiscardInputAsync(CancellationToken cancellationToken = default);
}
