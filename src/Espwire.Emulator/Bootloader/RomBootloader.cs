namespace Espwire.Emulator.Bootloader;

/// <summary>
/// The ESP8266 ROM's UART download mode, and the flasher stub's behaviour once a host uploads one and starts it
/// with MEM_END (the stub's code is not executed: the emulator answers as the stub would).
/// The flash outlives runs: create one bootloader per module and run it after every reset into download mode.
/// </summary>
public sealed class RomBootloader : IFirmware
{
    private readonly ErrorInjector _injector;

    public RomBootloader(BootloaderOptions options)
        : this(options, VirtualFlash.Create(options))
    {
    }

    public RomBootloader(BootloaderOptions options, VirtualFlash flash)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(flash);
        Options = options;
        Flash = flash;
        _injector = new ErrorInjector(options.InjectErrorRate, options.InjectErrorSeed);
    }

    public BootloaderOptions Options { get; }

    /// <summary>The module's SPI flash.</summary>
    public VirtualFlash Flash { get; }

    public BootloaderStats Stats { get; } = new();

    /// <summary>Who answered last: the ROM, or the stub after MEM_END.</summary>
    public LoaderMode Mode { get; private set; }

    /// <summary>Why the last run ended.</summary>
    public LoaderExit LastExit { get; private set; }

    /// <summary>Answers the host until it goes away or asks to run the application; returns then.</summary>
    public async Task RunAsync(IModuleUart uart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uart);
        Mode = LoaderMode.Rom;
        var session = new LoaderSession(this, uart, _injector);
        LastExit = await session.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    internal void EnterStub()
    {
        Mode = LoaderMode.Stub;
        Stats.StubStarts++;
    }
}
