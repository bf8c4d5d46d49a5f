using Espwire.Flasher.Chip;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Stub;
using Espwire.Ports;

namespace Espwire.Flasher.Session;

/// <summary>
/// A flashing session as esptool runs one: open the port, reset into download mode and sync, identify the chip,
/// start the stub when there is one, switch baud, then the verb's work, then the --after action.
/// Progress lines ("Chip is ESP8266EX", "Stub running...") go to the log for the CLI to print.
/// </summary>
public sealed class FlashSession : IAsyncDisposable
{
    private readonly FlashSessionOptions _options;
    private readonly bool _ownsLink;

    private FlashSession(IDeviceLink link, bool ownsLink, FlashSessionOptions options, BootloaderConnection connection, ChipInfo chip, FlasherStub? stub)
    {
        Link = link;
        _ownsLink = ownsLink;
        _options = options;
        Connection = connection;
        Chip = chip;
        Stub = stub;
        Flasher = new Esp8266Flasher(connection, new FlasherOptions { Compress = options.Compress });
    }

    public IDeviceLink Link { get; }
    public BootloaderConnection Connection { get; }
    public ChipInfo Chip { get; }
    public Esp8266Flasher Flasher { get; }

    /// <summary>The stub this session uploaded, or null (ROM mode, or a stub already running: see <see cref="IsStub"/>).</summary>
    public FlasherStub? Stub { get; }

    /// <summary>True when a flasher stub answers (uploaded now or left running by an earlier session).</summary>
    public bool IsStub => Connection.IsStub;

    /// <summary>The flash size the chip reported (RDID), or null when it gave no usable id.</summary>
    public FlashSize? DetectedFlashSize => Chip.Flash?.Size;

    public static async Task<FlashSession> OpenAsync(string port, FlashSessionOptions options, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var link = await DeviceLink.OpenAsync(port, new LinkOptions { BaudRate = Math.Min(options.BaudRate, FlashSessionOptions.RomBaudRate) }, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartAsync(link, ownsLink: true, options, log, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a session on a link someone else opened (and will close).</summary>
    public static Task<FlashSession> StartAsync(IDeviceLink link, FlashSessionOptions options, IProgress<string>? log = null, CancellationToken cancellationToken = default)
        => StartAsync(link, ownsLink: false, options, log, cancellationToken);

    private static async Task<FlashSession> StartAsync(IDeviceLink link, bool ownsLink, FlashSessionOptions options, IProgress<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        log?.Report($"Serial port {link.Name}");
        log?.Report("Connecting...");
        var connection = await BootloaderConnector.ConnectAsync(link,
            new ConnectOptions { Before = options.Before, Attempts = options.ConnectAttempts, TimeoutScale = options.TimeoutScale },
            log, cancellationToken).ConfigureAwait(false);
        var chip = await ChipDetector.DetectAsync(connection, link.BaudRate, readFlashId: true, cancellationToken).ConfigureAwait(false);
        log?.Report($"Chip is {chip.ChipName}");
        log?.Report($"Features: {string.Join(", ", chip.Features)}");
        log?.Report($"Crystal is {chip.CrystalMHz}MHz");
        log?.Report($"MAC: {chip.Mac}");

        FlasherStub? stub = null;
        if (connection.IsStub)
            log?.Report("Stub is already running. No upload is necessary.");
        else if (!options.NoStub)
        {
            var candidate = ChooseStub(options);
            if (candidate is null)
                log?.Report("No flasher stub found (give --stub FILE, or install esptool, the Arduino ESP8266 core or esptool-js; espwire flash stub shows where it looks): staying with the ROM loader (slower, no verification).");
            else
            {
                if (candidate.Kind != StubSourceKind.File) log?.Report($"Using the flasher stub from {candidate.Path} ({candidate.Description}).");
                stub = candidate.Load();
                log?.Report("Uploading stub...");
                log?.Report("Running stub...");
                await StubLoader.RunAsync(connection, stub, cancellationToken).ConfigureAwait(false);
                log?.Report("Stub running...");
            }
        }
        var session = new FlashSession(link, ownsLink, options, connection, chip, stub);
        if (options.BaudRate != link.BaudRate)
        {
            if (!connection.IsStub)
                log?.Report($"WARNING: the ESP8266 ROM cannot change baud rate. Keeping the initial baud rate {link.BaudRate}.");
            else
            {
                log?.Report($"Changing baud rate to {options.BaudRate}");
                await session.Flasher.ChangeBaudRateAsync(options.BaudRate, cancellationToken).ConfigureAwait(false);
                log?.Report("Changed.");
            }
        }
        await session.Flasher.AttachAsync(cancellationToken).ConfigureAwait(false);
        if (chip.Flash?.SizeBytes is { } size) await session.Flasher.SetFlashSizeAsync(size, cancellationToken).ConfigureAwait(false);
        return session;
    }

    /// <summary>The stub a session with these options would upload: --stub, else the first found; null with --no-stub or when none is found.</summary>
    public static StubCandidate? ChooseStub(FlashSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NoStub) return null;
        if (options.StubFile is { } file)
            return new StubCandidate(file, file.EndsWith(".py", StringComparison.OrdinalIgnoreCase) ? StubSourceKind.EsptoolPy : StubSourceKind.File);
        return StubLocator.Find(options.StubSearchRoots);
    }

    /// <summary>Runs the --after action ("Hard resetting via RTS pin..." or "Staying in bootloader.").</summary>
    /// <param name="wroteFlash">False for verbs that only looked (info, read, verify): the hints then speak of the module's firmware, not a new one.</param>
    public async Task FinishAsync(IProgress<string>? log = null, CancellationToken cancellationToken = default, bool wroteFlash = true)
    {
        var toRun = wroteFlash ? "to run the new firmware" : "to leave the bootloader and run its firmware";
        if (_options.After == Reset.AfterAction.NoReset)
        {
            log?.Report("Staying in bootloader.");
            return;
        }
        if (!Link.SupportsSignals)
        {
            // socket:// carries no RTS; on a board wired for programming GPIO0 stays low anyway.
            log?.Report($"This link has no RTS pin: set GPIO0 high and reset the module by hand {toRun}.");
            return;
        }
        log?.Report("Hard resetting via RTS pin...");
        try
        {
            await Flasher.FinishAsync(_options.After, cancellationToken).ConfigureAwait(false);
        }
        catch (PortException e)
        {
            log?.Report($"{e.Message} Set GPIO0 high and reset the module by hand {toRun}.");
        }
    }

    /// <summary>Writes regions as esptool's write_flash does (see <see cref="FlashWriter"/>), bounded by the detected flash size.</summary>
    public Task<IReadOnlyList<RegionWriteResult>> WriteAsync(IReadOnlyList<FlashRegion> regions, FlashWriteOptions? options = null, IProgress<FlashWriteEvent>? events = null, CancellationToken cancellationToken = default)
        => new FlashWriter(Flasher, DetectedFlashSize).WriteAsync(regions, options, events, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_ownsLink) await Link.DisposeAsync().ConfigureAwait(false);
    }
}
