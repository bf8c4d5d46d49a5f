using Espwire.At.Commands;
using Espwire.At.Dialects;
using Espwire.At.Errors;
using Espwire.At.Lifetime;
using Espwire.At.Net;
using Espwire.At.Reader;
using Espwire.At.Wifi;
using Espwire.Ports;

namespace Espwire.At;

/// <summary>
/// The typed API over an ESP8266's AT firmware: open it from a port string, and call methods instead of typing
/// commands. This class is the module's lifetime (open, set up, restart, recover from resets); <see cref="Wifi"/>
/// is the station and <see cref="Links"/> the sockets and the server. The dialect (1.x NonOS or 2.x ESP-AT) is
/// detected from AT+GMR and drives every difference.
/// </summary>
public sealed class AtModule : IAsyncDisposable
{
    // The first AT after power-up can be lost in boot noise: it is tried this often, with a short timeout.
    private const int HelloAttempts = 3;
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(2);

    private readonly AtModuleOptions _options;

    private AtModule(AtChannel channel, AtModuleOptions options)
    {
        Channel = channel;
        _options = options;
        Wifi = new WifiStation(this, options);
        Links = new LinkMultiplexer(this, options);
    }

    public AtChannel Channel { get; }
    public FirmwareInfo Firmware { get; private set; } = FirmwareInfo.Parse([]);
    public IFirmwareDialect Dialect { get; private set; } = EspAtDialect.Instance;

    /// <summary>The station: mode, scan, join (with the DHCP diagnosis), addresses, ping.</summary>
    public WifiStation Wifi { get; }

    /// <summary>The link multiplexer: TCP and UDP sockets, and the module's server.</summary>
    public LinkMultiplexer Links { get; }

    /// <summary>Opens the port, checks the module answers, turns echo off and detects the firmware dialect.</summary>
    public static async Task<AtModule> OpenAsync(string port, int baudRate = 115200, AtModuleOptions? options = null, CancellationToken cancellationToken = default)
    {
        var link = await DeviceLink.OpenAsync(port, new LinkOptions { BaudRate = baudRate }, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartAsync(link, options, ownsLink: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts on a link that is already open.</summary>
    public static async Task<AtModule> StartAsync(IDeviceLink link, AtModuleOptions? options = null, bool ownsLink = false, CancellationToken cancellationToken = default)
    {
        options ??= new AtModuleOptions();
        var channel = new AtChannel(link, options.Channel, ownsLink);
        if (options.Trace is { } trace) channel.Subscribe(trace);
        var module = new AtModule(channel, options);
        try
        {
            await module.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return module;
        }
        catch
        {
            await module.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>AT until it answers, ATE0, AT+GMR. Runs again by itself after the module restarts.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (Channel.ResetSeen) await ResetRecovery.WaitForBootToEndAsync(Channel, cancellationToken).ConfigureAwait(false);
        Channel.ResetSeen = false;
        AtResponse? hello = null;
        for (var i = 0; i < HelloAttempts && hello is not { IsOk: true }; i++)
        {
            try
            {
                hello = await Channel.RunAsync(CommandCatalogue.Attention.Plain() with { Timeout = HelloTimeout }, cancellationToken).ConfigureAwait(false);
            }
            catch (AtException e) when (i < HelloAttempts - 1 && e is AtTimeoutException or ModuleResetException)
            {
                await ResetRecovery.WaitForBootToEndAsync(Channel, cancellationToken).ConfigureAwait(false);
                continue;
            }
            // ERROR to a bare AT: the line reached the module damaged (its first bytes lost to a boot, noise). Taking
            // that as the hello put every later reply one command behind (ATE0 got AT's OK, and so on); wait until
            // the module is quiet, so nothing of the damaged line is left to answer, and say AT again.
            if (!hello.IsOk && i < HelloAttempts - 1) await ResetRecovery.WaitForBootToEndAsync(Channel, cancellationToken).ConfigureAwait(false);
        }
        if (_options.EchoOff)
        {
            var echo = await Channel.RunAsync(CommandCatalogue.EchoOff.Plain(), cancellationToken).ConfigureAwait(false);
            if (echo.IsOk) Channel.EchoOn = false;
        }
        var gmr = await RunOkAsync(CommandCatalogue.Version.Plain(), cancellationToken).ConfigureAwait(false);
        Firmware = FirmwareInfo.Parse(gmr.Lines);
        Dialect = Dialects.Dialect.For(Firmware);
        Channel.ResetSeen = false;
        Links.OnModuleInitialized();
    }

    /// <summary>Runs any command as typed and returns its reply; ERROR is a result here, not an exception.</summary>
    public async Task<AtResponse> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        var exchange = CommandCatalogue.Typed(command);
        return await Channel.RunAsync(timeout is { } t ? exchange with { Timeout = t } : exchange, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a command as typed that must succeed; a failure throws <see cref="AtCommandException"/> with an explanation.</summary>
    public Task<AtResponse> RunOkAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var exchange = CommandCatalogue.Typed(command);
        return RunOkAsync(timeout is { } t ? exchange with { Timeout = t } : exchange, cancellationToken);
    }

    /// <summary>Runs a declared exchange that must succeed.</summary>
    public async Task<AtResponse> RunOkAsync(Exchange exchange, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var response = await Channel.RunAsync(exchange, cancellationToken).ConfigureAwait(false);
        if (!response.IsOk) throw new AtCommandException(response, await FailureExplainer.ExplainAsync(Channel, response, cancellationToken).ConfigureAwait(false));
        return response;
    }

    /// <summary>Sets the module up again if it restarted since the last command.</summary>
    internal async Task ReinitializeIfResetAsync(CancellationToken cancellationToken)
    {
        if (Channel.ResetSeen) await InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A declared exchange that must succeed, after re-initialising a restarted module.</summary>
    internal async Task<AtResponse> OkAsync(Exchange exchange, CancellationToken cancellationToken)
    {
        await ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        return await RunOkAsync(exchange, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A declared exchange whose failure is a result, after re-initialising a restarted module.</summary>
    internal async Task<AtResponse> ExchangeAsync(Exchange exchange, CancellationToken cancellationToken)
    {
        await ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        return await Channel.RunAsync(exchange, cancellationToken).ConfigureAwait(false);
    }

    public async Task<FirmwareInfo> GetFirmwareInfoAsync(CancellationToken cancellationToken = default)
    {
        var gmr = await OkAsync(CommandCatalogue.Version.Plain(), cancellationToken).ConfigureAwait(false);
        return FirmwareInfo.Parse(gmr.Lines);
    }

    /// <summary>AT+RST and waits for <c>ready</c>; then sets the module up again.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Channel.Subscribe(e => { if (e is UnsolicitedLine { Kind: Unsolicited.Ready }) ready.TrySetResult(); }))
        {
            await RunOkAsync(CommandCatalogue.Restart.Plain(), cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Links.Dispose();
        await Channel.DisposeAsync().ConfigureAwait(false);
    }
}
