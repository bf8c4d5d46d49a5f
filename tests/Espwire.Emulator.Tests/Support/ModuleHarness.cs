using Espwire.Testing;
namespace Espwire.Emulator.Tests.Support;

/// <summary>A virtual module attached to an in-memory host (<see cref="HostEnd"/> over the shared
/// <see cref="DuplexStream"/> cable), booted to <c>ready</c>.</summary>
/// <remarks>Byte-level on purpose, and so not <see cref="EmulatedModule"/> (which hosts the module on a socket,
/// pseudo-terminal or RFC 2217 port and drives it with the AT driver): the emulator's own tests write the exact AT text
/// and compare the exact bytes that come back (goldens, echo, noise, paced output), with no driver and no port between.</remarks>
internal sealed class ModuleHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private Task _attach = Task.CompletedTask;

    private ModuleHarness(VirtualModule module, HostEnd host)
    {
        Module = module;
        Host = host;
    }

    public VirtualModule Module { get; }

    public HostEnd Host { get; }

    /// <summary>Everything the module printed while booting (ROM text and <c>ready</c>).</summary>
    public string BootOutput { get; private set; } = "";

    /// <summary>Starts a module; simulated time runs instantly unless <paramref name="realTime"/>.</summary>
    public static async Task<ModuleHarness> StartAsync(ModuleOptions? options = null, bool waitForReady = true, bool realTime = false)
    {
        var module = new VirtualModule(realTime ? options ?? new ModuleOptions() : (options ?? new ModuleOptions()) with { TimeScale = 0 });
        var (hostSide, moduleSide) = DuplexStream.CreatePair();
        var harness = new ModuleHarness(module, new HostEnd(hostSide));
        harness._attach = module.AttachAsync(moduleSide, harness._cts.Token);
        if (waitForReady) harness.BootOutput = await harness.Host.ReadUntilAsync("\r\nready\r\n");
        return harness;
    }

    public static Task<ModuleHarness> StartAsync(FirmwareDialect dialect) => StartAsync(new ModuleOptions { Dialect = dialect });

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await Module.DisposeAsync();
        try
        {
            await _attach.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        await Host.DisposeAsync();
        _cts.Dispose();
    }
}
