using System.Diagnostics;
using System.IO.Pipelines;
using Espwire.Emulator.At;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Flash;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Sketch;
using Espwire.Emulator.World;

namespace Espwire.Emulator;

/// <summary>
/// One virtual ESP-12F on its carrier board: the UART, the EN and GPIO0 pins behind the usual two-transistor
/// auto-reset circuit, saved settings ("flash"), and whichever firmware the last reset booted.
/// <para>Start it with <see cref="Start"/>, then serve a host with <see cref="AttachAsync"/> (a TCP connection,
/// a pseudo-terminal, an in-memory stream). The module keeps running between hosts, as a board does when
/// the USB cable is unplugged; its output with no host attached is dropped.</para>
/// </summary>
public sealed partial class VirtualModule : IAsyncDisposable
{
    // The EN pin's RC delay: the chip samples GPIO0 this long after EN rises, so a host that sets DTR and RTS
    // one after the other (pyserial, RFC 2217) still lands in download mode, as on the real board.
    private static readonly TimeSpan StrapDelay = TimeSpan.FromMilliseconds(15);

    private readonly object _gate = new();
    private readonly SemaphoreSlim _inputGate = new(1, 1);
    private readonly CancellationTokenSource _life = new();
    private CancellationTokenSource _runCts = new();
    private Task _runTask = Task.CompletedTask;
    private Pipe? _input;
    private HostAttachment? _host;
    private bool _started;
    private bool _dtr;
    private bool _rts;
    private bool _enLow;
    private long _resetGeneration;
    private long _inputLineFreeAt;
    private int _baudRate;
    private long _droppedOutput;
    private long _droppedInput;

    public VirtualModule(ModuleOptions? options = null)
    {
        Options = options ?? new ModuleOptions();
        if (Options.Index < 0) throw new ArgumentOutOfRangeException(nameof(options), "Index must be 0 or more.");
        World = Options.World ?? WifiWorld.Default;
        Clock = new ModuleClock(Options.TimeScale);
        Flash = new SettingsStore(Options.StateFile, FlashSettings.Factory(World));
        _baudRate = Flash.Current.UartBaud;
        Network = new Network.NetworkGateway(World, Options.AllowNetwork);
        // One MAC for the whole chip: the efuses the bootloader reports and what AT+CIFSR prints agree.
        MacAddress = Options.Bootloader.Mac.ToLowerInvariant();
        SoftApMacAddress = SoftApMacFor(MacAddress);
    }

    public ModuleOptions Options { get; }

    public WifiWorld World { get; }

    public ModuleClock Clock { get; }

    /// <summary>Settings that survive a reset (and, with <see cref="ModuleOptions.StateFile"/>, a restart).</summary>
    public SettingsStore Flash { get; }

    public Network.NetworkGateway Network { get; }

    public string MacAddress { get; }

    /// <summary>The SoftAP MAC: the station MAC with the locally administered bit set, as the ESP8266 derives it.</summary>
    public string SoftApMacAddress { get; }

    private static string SoftApMacFor(string stationMac)
    {
        var first = Convert.ToByte(stationMac[..2], 16) | 0x02;
        return first.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + stationMac[2..];
    }

    /// <summary>Module <paramref name="index"/>'s MAC in a group: the base MAC with <paramref name="index"/> added to its last bytes.</summary>
    public static string MacForIndex(string baseMac, int index)
    {
        var bytes = baseMac.Split(':').Select(b => Convert.ToByte(b, 16)).ToArray();
        var tail = (bytes[3] << 16 | bytes[4] << 8 | bytes[5]) + index;
        bytes[3] = (byte)(tail >> 16);
        bytes[4] = (byte)(tail >> 8);
        bytes[5] = (byte)tail;
        return string.Join(':', bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The UART's baud rate. The host side sets it (RFC 2217 SET-BAUDRATE), firmware changes it
    /// (AT+UART_CUR, the stub's CHANGE_BAUDRATE). It sets the pace when <see cref="ModuleOptions.Pace"/> is on.</summary>
    public int BaudRate
    {
        get => Volatile.Read(ref _baudRate);
        set
        {
            if (value is < 300 or > 4_608_000) throw new ArgumentOutOfRangeException(nameof(value), value, "Baud rate must be 300..4608000.");
            Volatile.Write(ref _baudRate, value);
        }
    }

    /// <summary>What the last reset booted; null while EN is held low or before <see cref="Start"/>.</summary>
    public BootMode? Running { get; private set; }

    /// <summary>Resets so far, power-on included.</summary>
    public int BootCount { get; private set; }

    /// <summary>The last exception a firmware died of; the module halts until the next reset, as after a crash.</summary>
    public Exception? LastFault { get; private set; }

    /// <summary>Where AT+CIPSERVER's server really listens (loopback; the module's port if free, else ephemeral).</summary>
    public System.Net.IPEndPoint? ServerEndpoint { get; internal set; }

    /// <summary>Bytes the module sent while no host was attached.</summary>
    public long DroppedOutputBytes => Interlocked.Read(ref _droppedOutput);

    /// <summary>Bytes the host sent while the chip was held in reset or between boots (lost, as on the chip).</summary>
    public long DroppedInputBytes => Interlocked.Read(ref _droppedInput);

    /// <summary>Raised after each reset with what booted (on a thread-pool thread).</summary>
    public event Action<BootMode>? Booted;

    /// <summary>Notable things the firmware did that show on no wire: "transparent mode left", "line too long",
    /// "busy". For logs and for tests that must wait for a silent transition.</summary>
    public event Action<string>? Trace;

    internal void Note(string what) => Trace?.Invoke(what);

    /// <summary>Everything the module writes to its UART TX, whether a host is attached or not (copies).</summary>
    public event Action<byte[]>? SerialOutput;

    /// <summary>Powers the module on: it boots as <see cref="ModuleOptions.Mode"/> says.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_started) return;
            _started = true;
        }
        Boot(StrapGpio0Low, ResetCause.PowerOn);
    }

    private void Boot(bool downloadMode, ResetCause cause)
    {
        if (_life.IsCancellationRequested) return;
        lock (_gate)
        {
            _started = true;
            var previousCts = _runCts;
            previousCts.Cancel();
            _input?.Writer.Complete();
            var cts = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
            _runCts = cts;
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
            _input = pipe;
            var mode = downloadMode ? BootMode.Bootloader : Options.EffectiveFlashApp;
            Running = mode;
            BootCount++;
            var previous = _runTask;
            _runTask = RunAsync(previous, previousCts, mode, downloadMode, cause, pipe, cts.Token);
        }
    }

    private async Task RunAsync(Task previous, CancellationTokenSource previousCts, BootMode mode, bool downloadMode, ResetCause cause, Pipe pipe, CancellationToken ct)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch
        {
            // The previous run's fault was recorded when it happened.
        }
        // Its token is no longer watched by anyone: release the link to the module's lifetime token.
        previousCts.Dispose();
        var uart = new ModuleUart(this, pipe);
        try
        {
            ct.ThrowIfCancellationRequested();
            Booted?.Invoke(mode);
            await EmitAsync(BootText.AsSeenAt(BaudRate, downloadMode, cause), ct).ConfigureAwait(false);
            var firmware = CreateFirmware(mode);
            await firmware.RunAsync(uart, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LastFault = e;
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private IFirmware CreateFirmware(BootMode mode) => mode switch
    {
        BootMode.Bootloader => (Options.BootloaderFactory ?? RomBootloader.Factory)(this),
        BootMode.Sketch => new SketchFirmware(this, Options.Sketch),
        _ => new AtFirmware(this),
    };

    public async ValueTask DisposeAsync()
    {
        Task run;
        lock (_gate)
        {
            if (_life.IsCancellationRequested) return;
            _life.Cancel();
            _runCts.Cancel();
            _input?.Writer.Complete();
            _input = null;
            run = _runTask;
            _host?.Cancel();
        }
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        _life.Dispose();
        _inputGate.Dispose();
    }
}
