namespace Espwire.Emulator.Bootloader;

/// <summary>
/// The ESP8266 ROM's UART download mode, and the flasher stub's behaviour once a host uploads one and starts it
/// with MEM_END (the stub's code is not executed: the emulator answers as the stub would).
/// The flash outlives runs: create one bootloader per module and run it after every reset into download mode.
/// </summary>
public sealed class RomBootloader : IFirmware
{
    private readonly ErrorInjector _injector;
    private readonly VirtualModule? _module;

    /// <summary>A bootloader on the flash shared by every bootloader made from <paramref name="options"/>.</summary>
    public RomBootloader(BootloaderOptions options)
        : this(options, VirtualFlash.For(options))
    {
    }

    /// <param name="module">When given, "run user code" (FLASH_END with reboot, RUN_USER_CODE) resets the module into its application.</param>
    public RomBootloader(BootloaderOptions options, VirtualFlash flash, VirtualModule? module = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(flash);
        Options = options;
        Flash = flash;
        _module = module;
        _injector = new ErrorInjector(options.InjectErrorRate, options.InjectErrorSeed);
    }

    /// <summary>
    /// For <see cref="ModuleOptions.BootloaderFactory"/>: a bootloader per boot, on the module's one flash, that boots
    /// the application when the host asks to run user code.
    /// </summary>
    public static IFirmware Factory(VirtualModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new RomBootloader(module.Options.Bootloader, VirtualFlash.For(module.Options.Bootloader), module);
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
        // The ROM jumps to the application; on the board that is a boot from flash with GPIO0 released.
        if (LastExit == LoaderExit.RunUserCode) _module?.Reset(gpio0Low: false);
    }

    internal void EnterStub()
    {
        Mode = LoaderMode.Stub;
        Stats.StubStarts++;
    }
}
