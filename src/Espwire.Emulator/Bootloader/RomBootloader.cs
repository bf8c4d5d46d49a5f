namespace Espwire.Emulator.Bootloader;

/// <summary>The ESP8266 ROM's UART download mode.</summary>
// Placeholder: the flasher work (issue 5) implements the protocol.
public sealed class RomBootloader : IFirmware
{
    public RomBootloader(BootloaderOptions options) => Options = options;

    public BootloaderOptions Options { get; }

    public Task RunAsync(IModuleUart uart, CancellationToken cancellationToken)
        => Task.Delay(Timeout.Infinite, cancellationToken);
}
