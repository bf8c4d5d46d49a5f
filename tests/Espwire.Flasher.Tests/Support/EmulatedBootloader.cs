using Espwire.Testing;
using System.IO.Pipelines;
using Espwire.Emulator.Bootloader;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Reset;

namespace Espwire.Flasher.Tests.Support;

/// <summary>A RomBootloader running on an in-memory UART, and a host link to it.</summary>
/// <remarks>
/// Not Espwire.Testing's EmulatedModule: that one boots the AT firmware behind EmulatorHost and drives it with
/// AtModule; the flasher needs the ROM bootloader alone, with its own BootloaderOptions and no socket or pacing.
/// </remarks>
internal sealed class EmulatedBootloader : IAsyncDisposable
{
    private readonly Pipe _toDevice = new();
    private readonly Pipe _toHost = new();
    private readonly CancellationTokenSource _stop = new();

    public EmulatedBootloader(BootloaderOptions? options = null)
    {
        Options = options ?? new BootloaderOptions { FlashSize = 2 << 20 };
        Bootloader = new RomBootloader(Options);
        Uart = new PipeModuleUart(_toDevice.Reader, _toHost.Writer);
        Run = Task.Run(() => Bootloader.RunAsync(Uart, _stop.Token));
        Link = new SignalRecordingLink(new DuplexStream(_toHost.Reader.AsStream(), _toDevice.Writer.AsStream()));
    }

    public BootloaderOptions Options { get; }
    public RomBootloader Bootloader { get; }
    public PipeModuleUart Uart { get; }
    public Task Run { get; }
    public SignalRecordingLink Link { get; }

    /// <summary>A synced connection, with generous timeouts for a loaded CI machine (5 times the defaults, times the
    /// tests' one knob, <see cref="TestTimeouts.Scale"/>).</summary>
    /// <remarks>Every wait here has a ceiling (<see cref="TestTimeouts.Patience"/>): a connect or a shutdown that
    /// never ends fails its test with the stage it stuck in, instead of stalling the whole run until the runner's
    /// hang timeout.</remarks>
    public async Task<BootloaderConnection> ConnectAsync(double? timeoutScale = null)
    {
        var connecting = BootloaderConnector.ConnectAsync(Link, new ConnectOptions { Before = BeforeAction.NoReset, TimeoutScale = timeoutScale ?? 5 * TestTimeouts.Scale });
        try
        {
            return await connecting.WaitAsync(TestTimeouts.Patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The connect to the emulated ROM did not end within {TestTimeouts.Patience.TotalSeconds:0} s: {State}.");
        }
    }

    private string State => $"loader {Run.Status}, mode {Bootloader.Mode}, {Bootloader.Stats.Commands} commands";

    public async ValueTask DisposeAsync()
    {
        await _toDevice.Writer.CompleteAsync().ConfigureAwait(false);
        await _stop.CancelAsync().WaitAsync(TestTimeouts.Patience).ConfigureAwait(false);
        try
        {
            await Run.WaitAsync(TestTimeouts.Patience).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The emulated ROM did not stop within {TestTimeouts.Patience.TotalSeconds:0} s of the host closing the line: {State}.");
        }
        await _toHost.Writer.CompleteAsync().ConfigureAwait(false);
        _stop.Dispose();
        Bootloader.Flash.Dispose();
    }
}
