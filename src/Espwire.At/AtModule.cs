using Espwire.Protocol.At;
using System.Collections.Concurrent;
using System.Globalization;
using Espwire.At.Commands;
using Espwire.At.Dialects;
using Espwire.At.Errors;
using Espwire.At.Net;
using Espwire.At.Reader;
using Espwire.At.Wifi;
using Espwire.Ports;

namespace Espwire.At;

/// <summary>
/// The typed API over an ESP8266's AT firmware: open it from a port string, and call methods instead of typing
/// commands. The dialect (1.x NonOS or 2.x ESP-AT) is detected from AT+GMR and drives every difference.
/// </summary>
public sealed class AtModule : IAsyncDisposable, ILinkOperations
{
    private const int LinkCount = 5;

    private readonly AtModuleOptions _options;
    private readonly ConcurrentDictionary<int, AtSocket> _sockets = new();
    private readonly IDisposable _subscription;
    private readonly SemaphoreSlim _linkGate = new(1, 1);
    private AtServer? _server;
    private int _opening = -1;
    private bool _netReady;
    private bool _passive;

    private AtModule(AtChannel channel, AtModuleOptions options)
    {
        Channel = channel;
        _options = options;
        _subscription = channel.Subscribe(OnEvent);
    }

    public AtChannel Channel { get; }
    public FirmwareInfo Firmware { get; private set; } = FirmwareInfo.Parse([]);
    public IFirmwareDialect Dialect { get; private set; } = EspAtDialect.Instance;

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
        if (Channel.ResetSeen)
            await Channel.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        Channel.ResetSeen = false;
        AtResponse? hello = null;
        // The first command after power-up can be lost in boot noise: try a few times with short timeouts.
        for (var i = 0; i < 3 && hello is null; i++)
        {
            try
            {
                hello = await Channel.SendAsync(AtCommand.Of("AT", TimeSpan.FromSeconds(2)), cancellationToken).ConfigureAwait(false);
            }
            catch (AtException e) when (i < 2 && e is AtTimeoutException or ModuleResetException)
            {
                // A late answer to this AT (sent while the module booted) must not pair with the next command.
                await Channel.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            }
        }
        if (_options.EchoOff)
        {
            var echo = await Channel.SendAsync(AtCommand.Of("ATE0"), cancellationToken).ConfigureAwait(false);
            if (echo.IsOk) Channel.EchoOn = false;
        }
        var gmr = await RunOkAsync(AtCommand.Of("AT+GMR") with { ReplyPrefix = "AT version:" }, cancellationToken).ConfigureAwait(false);
        Firmware = FirmwareInfo.Parse(gmr.Lines);
        Dialect = Espwire.At.Dialects.Dialect.For(Firmware);
        Channel.ResetSeen = false;
        _netReady = false;
    }

    /// <summary>Runs any command and returns its reply; ERROR is a result here, not an exception.</summary>
    public async Task<AtResponse> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        return await Channel.SendAsync(AtCommand.Of(command, timeout ?? AtCommand.DefaultTimeout), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a command that must succeed; a failure throws <see cref="AtCommandException"/> with an explanation.</summary>
    public Task<AtResponse> RunOkAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => RunOkAsync(AtCommand.Of(command, timeout ?? AtCommand.DefaultTimeout), cancellationToken);

    /// <summary>Runs a declared command that must succeed.</summary>
    public async Task<AtResponse> RunOkAsync(AtCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var response = await Channel.SendAsync(command, cancellationToken).ConfigureAwait(false);
        if (!response.IsOk) throw new AtCommandException(response, FailureExplainer.Explain(response));
        return response;
    }

    private async Task ReinitializeIfResetAsync(CancellationToken cancellationToken)
    {
        if (Channel.ResetSeen) await InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<AtResponse> OkAsync(string command, TimeSpan? timeout, CancellationToken cancellationToken)
        => OkAsync(AtCommand.Of(command, timeout ?? AtCommand.DefaultTimeout), cancellationToken);

    // A query whose reply must carry a line starting with replyPrefix.
    private Task<AtResponse> QueryAsync(string command, string replyPrefix, CancellationToken cancellationToken)
        => OkAsync(AtCommand.Of(command) with { ReplyPrefix = replyPrefix }, cancellationToken);

    private async Task<AtResponse> OkAsync(AtCommand command, CancellationToken cancellationToken)
    {
        await ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        return await RunOkAsync(command, cancellationToken).ConfigureAwait(false);
    }

    // ---- Basic ----

    public async Task<FirmwareInfo> GetFirmwareInfoAsync(CancellationToken cancellationToken = default)
    {
        var gmr = await QueryAsync("AT+GMR", "AT version:", cancellationToken).ConfigureAwait(false);
        return FirmwareInfo.Parse(gmr.Lines);
    }

    /// <summary>AT+RST and waits for <c>ready</c>; then sets the module up again.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Channel.Subscribe(e => { if (e is UnsolicitedLine { Kind: Unsolicited.Ready }) ready.TrySetResult(); }))
        {
            await RunOkAsync("AT+RST", null, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- Wi-Fi ----

    public async Task<WifiMode> GetModeAsync(CancellationToken cancellationToken = default)
    {
        var r = await QueryAsync(Dialect.QueryMode, Dialect.ModeReply, cancellationToken).ConfigureAwait(false);
        var value = r.Value(Dialect.ModeReply) ?? r.Value("+CWMODE:")
            ?? throw new AtException($"{Dialect.QueryMode} gave no mode line.", "Check the firmware version with AT+GMR.");
        return (WifiMode)int.Parse(value, CultureInfo.InvariantCulture);
    }

    public Task SetModeAsync(WifiMode mode, CancellationToken cancellationToken = default)
        => OkAsync(Dialect.SetMode(mode), null, cancellationToken);

    /// <summary>AT+CWLAP: networks heard, strongest first.</summary>
    public async Task<IReadOnlyList<AccessPoint>> ScanAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStationModeAsync(cancellationToken).ConfigureAwait(false);
        var r = await OkAsync("AT+CWLAP", _options.ScanTimeout, cancellationToken).ConfigureAwait(false);
        return r.Lines.Select(ScanLine.Parse).OfType<AccessPoint>()
            .OrderByDescending(ap => ap.Rssi).ThenBy(ap => ap.Ssid, StringComparer.Ordinal).ToArray();
    }

    private async Task EnsureStationModeAsync(CancellationToken cancellationToken)
    {
        var mode = await GetModeAsync(cancellationToken).ConfigureAwait(false);
        if (mode is WifiMode.Off or WifiMode.SoftAp) await SetModeAsync(WifiMode.Station, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// AT+CWJAP. A failure is a result with a typed <see cref="JoinFailure"/> and a diagnosis, not an exception;
    /// the seed's case (WIFI CONNECTED then +CWJAP:1, station DHCP off) is confirmed with a DHCP query.
    /// </summary>
    public async Task<JoinResult> JoinAsync(string ssid, string password, IProgress<JoinStage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ssid);
        ArgumentNullException.ThrowIfNull(password);
        if (ssid.Length is 0 or > 32) throw new ArgumentException("An SSID has 1 to 32 characters.", nameof(ssid));
        if (password.Length > 64) throw new ArgumentException("A Wi-Fi password has at most 64 characters.", nameof(password));
        await EnsureStationModeAsync(cancellationToken).ConfigureAwait(false);
        using var watch = progress is null ? null : Channel.Subscribe(e =>
        {
            if (e is UnsolicitedLine u)
            {
                if (u.Kind == Unsolicited.WifiConnected) progress.Report(JoinStage.Associated);
                else if (u.Kind == Unsolicited.WifiGotIp) progress.Report(JoinStage.GotIp);
                else if (u.Kind == Unsolicited.WifiDisconnect) progress.Report(JoinStage.Disconnected);
            }
        });
        progress?.Report(JoinStage.Sent);
        var r = await Channel.SendAsync(AtCommand.Of(Dialect.Join(ssid, password), _options.JoinTimeout), cancellationToken).ConfigureAwait(false);
        progress?.Report(JoinStage.Finished);
        var associated = r.Saw(Unsolicited.WifiConnected);
        var gotIp = r.Saw(Unsolicited.WifiGotIp);
        if (r.IsOk) return new JoinResult(true, JoinFailure.None, associated, gotIp, null, r.Elapsed);

        var code = JoinCode(r);
        var failure = code is >= 1 and <= 4 ? (JoinFailure)code : JoinFailure.Unknown;
        var diagnosis = await DiagnoseAsync(failure, associated, cancellationToken).ConfigureAwait(false);
        return new JoinResult(false, failure, associated, gotIp, diagnosis, r.Elapsed);
    }

    private static int JoinCode(AtResponse r)
    {
        foreach (var prefix in new[] { "+CWJAP:", "+CWJAP_CUR:", "+CWJAP_DEF:" })
            if (r.Value(prefix) is { } v && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                return code;
        return 0;
    }

    private async Task<JoinDiagnosis> DiagnoseAsync(JoinFailure failure, bool associated, CancellationToken cancellationToken)
    {
        if (associated && failure is JoinFailure.Timeout or JoinFailure.Unknown)
        {
            bool? dhcp = null;
            try
            {
                dhcp = await GetStationDhcpAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (AtException)
            {
                // Older firmware may not answer the query; the pattern alone is strong evidence.
            }
            if (dhcp != true)
            {
                var fix = Dialect.SetStationDhcp(true, persist: true);
                return new JoinDiagnosis(
                    dhcp == false
                        ? "The module joined the access point (WIFI CONNECTED) but got no IP address: station DHCP is off."
                        : "The module joined the access point (WIFI CONNECTED) but got no IP address: station DHCP is probably off.",
                    $"Enable station DHCP with {fix} and join again.", DhcpOff: true, fix);
            }
        }
        var e = ErrorCatalogue.ForJoinError((int)failure, associated);
        return new JoinDiagnosis(e.Meaning, e.NextStep, false, null);
    }

    /// <summary>Turns station DHCP on or off. <paramref name="persist"/> writes it to flash (the seed's AT+CWDHCP=1,1).</summary>
    public Task SetStationDhcpAsync(bool enabled, bool persist = true, CancellationToken cancellationToken = default)
        => OkAsync(Dialect.SetStationDhcp(enabled, persist), null, cancellationToken);

    public async Task<bool> GetStationDhcpAsync(CancellationToken cancellationToken = default)
    {
        var r = await QueryAsync(Dialect.QueryDhcp, Dialect.DhcpReply, cancellationToken).ConfigureAwait(false);
        var value = r.Value(Dialect.DhcpReply) ?? r.Value("+CWDHCP:")
            ?? throw new AtException($"{Dialect.QueryDhcp} gave no DHCP line.", "Check the firmware version with AT+GMR.");
        return Dialect.StationDhcpEnabled(int.Parse(value, CultureInfo.InvariantCulture));
    }

    /// <summary>AT+CWJAP?: the network joined, or null when not joined (<c>No AP</c>).</summary>
    public async Task<CurrentNetwork?> GetCurrentNetworkAsync(CancellationToken cancellationToken = default)
    {
        var r = await OkAsync(Dialect.QueryJoin, null, cancellationToken).ConfigureAwait(false);
        var value = r.Value(Dialect.JoinReply) ?? r.Value("+CWJAP:");
        if (value is null) return null;
        var f = AtText.Fields(value);
        int Int(int i) => f.Count > i && int.TryParse(f[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new CurrentNetwork(f[0], f.Count > 1 ? f[1] : "", Int(2), Int(3));
    }

    /// <summary>AT+CIFSR.</summary>
    public async Task<StationAddresses> GetAddressesAsync(CancellationToken cancellationToken = default)
    {
        var r = await QueryAsync("AT+CIFSR", "+CIFSR:", cancellationToken).ConfigureAwait(false);
        string? Field(string name) => r.Value($"+CIFSR:{name},")?.Trim('"');
        return new StationAddresses(Field("STAIP"), Field("STAMAC"), Field("APIP"), Field("APMAC"));
    }

    /// <summary>AT+CIPSTATUS's STATUS code (2 got IP, 3 connected, 4 disconnected, 5 not joined).</summary>
    public async Task<int> GetConnectionStatusAsync(CancellationToken cancellationToken = default)
    {
        var r = await QueryAsync("AT+CIPSTATUS", "STATUS:", cancellationToken).ConfigureAwait(false);
        return r.Value("STATUS:") is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;
    }

    /// <summary>AT+PING. A timeout is a result (Reached = false), not an exception.</summary>
    public async Task<PingResult> PingAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        await ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        var r = await Channel.SendAsync(AtCommand.Of($"AT+PING={AtText.Quote(host)}", _options.PingTimeout), cancellationToken).ConfigureAwait(false);
        int? ms = null;
        var sawPing = false;
        foreach (var line in r.Lines)
            if (Dialect.TryParsePing(line, out var value)) { ms = value; sawPing = true; }
        if (!r.IsOk && !sawPing) throw new AtCommandException(r, FailureExplainer.Explain(r));
        return new PingResult(host, r.IsOk && ms is not null, ms);
    }

    /// <summary>AT+CWQAP.</summary>
    public Task LeaveAsync(CancellationToken cancellationToken = default) => OkAsync("AT+CWQAP", null, cancellationToken);

    /// <summary>AT+CWAUTOCONN: join the saved network at power-up (the seed notes it does so by default).</summary>
    public Task SetAutoConnectAsync(bool enabled, CancellationToken cancellationToken = default)
        => OkAsync($"AT+CWAUTOCONN={(enabled ? 1 : 0)}", null, cancellationToken);

    // ---- Sockets ----

    /// <summary>AT+CIPSTART a TCP link; returns it as a Stream.</summary>
    public Task<AtSocket> ConnectTcpAsync(string host, int port, CancellationToken cancellationToken = default)
        => OpenLinkAsync(LinkProtocol.Tcp, host, port, null, cancellationToken);

    /// <summary>AT+CIPSTART a UDP link to host:port, optionally from a fixed local port.</summary>
    public Task<AtSocket> ConnectUdpAsync(string host, int port, int? localPort = null, CancellationToken cancellationToken = default)
        => OpenLinkAsync(LinkProtocol.Udp, host, port, localPort, cancellationToken);

    private async Task<AtSocket> OpenLinkAsync(LinkProtocol protocol, string host, int port, int? localPort, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        await _linkGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureNetAsync(cancellationToken).ConfigureAwait(false);
            var id = Enumerable.Range(0, LinkCount).FirstOrDefault(i => !_sockets.ContainsKey(i), -1);
            if (id < 0) throw new AtException("All 5 links of the module are in use.", "Close a socket before opening another.");
            var text = protocol == LinkProtocol.Tcp
                ? $"AT+CIPSTART={id},\"TCP\",{AtText.Quote(host)},{port}"
                : $"AT+CIPSTART={id},\"UDP\",{AtText.Quote(host)},{port}" + (localPort is { } lp ? $",{lp},0" : "");
            Volatile.Write(ref _opening, id);
            var socket = new AtSocket(this, id, protocol, host, port, _passive && protocol == LinkProtocol.Tcp, accepted: false);
            _sockets[id] = socket; // registered first: data can follow CONNECT before OK
            try
            {
                var r = await Channel.SendAsync(AtCommand.Of(text, _options.ConnectTimeout), cancellationToken).ConfigureAwait(false);
                if (!r.IsOk) throw new AtCommandException(r, FailureExplainer.Explain(r));
            }
            catch
            {
                _sockets.TryRemove(id, out _);
                throw;
            }
            finally
            {
                Volatile.Write(ref _opening, -1);
            }
            return socket;
        }
        finally
        {
            _linkGate.Release();
        }
    }

    /// <summary>AT+CIPSERVER=1,port: accept TCP clients on the module.</summary>
    public async Task<AtServer> ListenAsync(int port, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (_server is not null) throw new AtException("The module already runs a server.", "The AT firmware allows one server; stop it first.");
        await EnsureNetAsync(cancellationToken).ConfigureAwait(false);
        await RunOkAsync($"AT+CIPSERVER=1,{port}", null, cancellationToken).ConfigureAwait(false);
        var server = new AtServer(port, StopServerAsync);
        _server = server;
        return server;
    }

    private async Task StopServerAsync()
    {
        _server = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Channel.SendAsync(AtCommand.Of("AT+CIPSERVER=0"), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AtException or IOException or OperationCanceledException)
        {
            // The module is gone or restarted: the server is gone with it.
        }
    }

    private async Task EnsureNetAsync(CancellationToken cancellationToken)
    {
        await ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        if (_netReady) return;
        var mux = await Channel.SendAsync(AtCommand.Of("AT+CIPMUX=1"), cancellationToken).ConfigureAwait(false);
        if (!mux.IsOk && !_sockets.IsEmpty)
            throw new AtCommandException(mux, FailureExplainer.Explain(mux));
        _passive = false;
        if (_options.PassiveReceive)
        {
            var recv = await Channel.SendAsync(AtCommand.Of("AT+CIPRECVMODE=1"), cancellationToken).ConfigureAwait(false);
            _passive = recv.IsOk; // firmware without passive mode falls back to +IPD pushes
        }
        _netReady = true;
    }

    async Task ILinkOperations.SendAsync(int linkId, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        var command = AtCommand.WithPayload($"AT+CIPSEND={linkId},{chunk.Length}", chunk, Channel.Link.BaudRate);
        var r = await Channel.SendAsync(command, cancellationToken).ConfigureAwait(false);
        if (r.Result != ResultCode.SendOk)
        {
            var e = FailureExplainer.Explain(r);
            throw new IOException($"Sending {chunk.Length} bytes on link {linkId} failed: {e.Meaning} {e.NextStep}", new AtCommandException(r, e));
        }
    }

    async Task<byte[]> ILinkOperations.ReceiveAsync(int linkId, int max, CancellationToken cancellationToken)
    {
        var r = await Channel.SendAsync(AtCommand.Of($"AT+CIPRECVDATA={linkId},{max}"), cancellationToken).ConfigureAwait(false);
        return r.IsOk && r.Data is { } data ? data : [];
    }

    async Task ILinkOperations.CloseAsync(int linkId, CancellationToken cancellationToken)
    {
        await Channel.SendAsync(AtCommand.Of($"AT+CIPCLOSE={linkId}"), cancellationToken).ConfigureAwait(false);
        if (_sockets.TryRemove(linkId, out var s)) s.OnClosed();
    }

    // Runs on the reader's thread: routes link events to sockets and the server.
    private void OnEvent(AtEvent e)
    {
        switch (e)
        {
            case IpdData data:
                if (_sockets.TryGetValue(data.LinkId ?? 0, out var s1)) s1.OnData(data.Data);
                break;
            case IpdNotice notice:
                if (_sockets.TryGetValue(notice.LinkId ?? 0, out var s2)) s2.OnNotice();
                break;
            case UnsolicitedLine { Kind: Unsolicited.LinkClosed or Unsolicited.LinkConnectFailed, LinkId: { } closedId }:
                if (_sockets.TryRemove(closedId, out var s3)) s3.OnClosed();
                break;
            case UnsolicitedLine { Kind: Unsolicited.LinkConnected, LinkId: { } id }:
                if (id != Volatile.Read(ref _opening) && _server is { } server && !_sockets.ContainsKey(id))
                {
                    var accepted = new AtSocket(this, id, LinkProtocol.Tcp, "", server.Port, _passive, accepted: true);
                    _sockets[id] = accepted;
                    server.OnAccepted(accepted);
                }
                break;
            case UnsolicitedLine { Kind: Unsolicited.Ready }:
                foreach (var id in _sockets.Keys)
                    if (_sockets.TryRemove(id, out var s4)) s4.OnClosed();
                _server?.Complete();
                _server = null;
                _netReady = false;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        foreach (var s in _sockets.Values) s.OnClosed();
        _server?.Complete();
        await Channel.DisposeAsync().ConfigureAwait(false);
        _linkGate.Dispose();
    }
}
