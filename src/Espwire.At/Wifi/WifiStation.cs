using System.Globalization;
using Espwire.At.Commands;
using Espwire.At.Errors;
using Espwire.At.Reader;
using Espwire.Protocol.At;

namespace Espwire.At.Wifi;

/// <summary>The module's Wi-Fi station: mode, scan, join with its diagnosis, DHCP, addresses, ping.</summary>
public sealed class WifiStation
{
    private readonly AtModule _module;
    private readonly AtModuleOptions _options;

    internal WifiStation(AtModule module, AtModuleOptions options)
    {
        _module = module;
        _options = options;
    }

    private Dialects.IFirmwareDialect Dialect => _module.Dialect;

    private Exchange Declared(CommandSpec spec, params object[] arguments) => spec.For(Dialect, arguments);

    public async Task<WifiMode> GetModeAsync(CancellationToken cancellationToken = default)
    {
        var query = Declared(CommandCatalogue.ModeQuery);
        var r = await _module.OkAsync(query, cancellationToken).ConfigureAwait(false);
        var value = r.Value(query.ReplyLine!)
            ?? throw new AtException($"{query.Text} gave no mode line.", "Check the firmware version with AT+GMR.");
        return (WifiMode)int.Parse(value, CultureInfo.InvariantCulture);
    }

    public Task SetModeAsync(WifiMode mode, CancellationToken cancellationToken = default)
        => _module.OkAsync(Declared(CommandCatalogue.ModeSet, (int)mode), cancellationToken);

    /// <summary>AT+CWLAP: networks heard, strongest first.</summary>
    public async Task<IReadOnlyList<AccessPoint>> ScanAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStationModeAsync(cancellationToken).ConfigureAwait(false);
        var r = await _module.OkAsync(Declared(CommandCatalogue.Scan) with { Timeout = _options.ScanTimeout }, cancellationToken).ConfigureAwait(false);
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
        using var watch = progress is null ? null : _module.Channel.Subscribe(e =>
        {
            if (e is UnsolicitedLine u)
            {
                if (u.Kind == Unsolicited.WifiConnected) progress.Report(JoinStage.Associated);
                else if (u.Kind == Unsolicited.WifiGotIp) progress.Report(JoinStage.GotIp);
                else if (u.Kind == Unsolicited.WifiDisconnect) progress.Report(JoinStage.Disconnected);
            }
        });
        progress?.Report(JoinStage.Sent);
        var join = Declared(CommandCatalogue.Join, AtText.Quote(ssid), AtText.Quote(password)) with { Timeout = _options.JoinTimeout };
        var r = await _module.Channel.RunAsync(join, cancellationToken).ConfigureAwait(false);
        progress?.Report(JoinStage.Finished);
        var associated = r.Saw(Unsolicited.WifiConnected);
        var gotIp = r.Saw(Unsolicited.WifiGotIp);
        if (r.IsOk) return new JoinResult(true, JoinFailure.None, associated, gotIp, null, r.Elapsed);

        var code = r.Value(CommandCatalogue.JoinFailureLine) is { } v && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 0;
        var failure = code is >= 1 and <= 4 ? (JoinFailure)code : JoinFailure.Unknown;
        var diagnosis = await DiagnoseAsync(failure, associated, cancellationToken).ConfigureAwait(false);
        return new JoinResult(false, failure, associated, gotIp, diagnosis, r.Elapsed);
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
                var fix = StationDhcp(true, persist: true).Text;
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

    /// <summary>The exchange that turns station DHCP on or off; <paramref name="persist"/> uses the plain form, which stores it in flash (the seed's AT+CWDHCP=1,1).</summary>
    public Exchange StationDhcp(bool enabled, bool persist)
        => persist
            ? CommandCatalogue.DhcpSet.Plain(Dialect.StationDhcpArguments(enabled))
            : Declared(CommandCatalogue.DhcpSet, Dialect.StationDhcpArguments(enabled));

    /// <summary>Turns station DHCP on or off. <paramref name="persist"/> writes it to flash (the seed's AT+CWDHCP=1,1).</summary>
    public Task SetStationDhcpAsync(bool enabled, bool persist = true, CancellationToken cancellationToken = default)
        => _module.OkAsync(StationDhcp(enabled, persist), cancellationToken);

    public async Task<bool> GetStationDhcpAsync(CancellationToken cancellationToken = default)
    {
        var query = Declared(CommandCatalogue.DhcpQuery);
        var r = await _module.OkAsync(query, cancellationToken).ConfigureAwait(false);
        var value = r.Value(query.ReplyLine!)
            ?? throw new AtException($"{query.Text} gave no DHCP line.", "Check the firmware version with AT+GMR.");
        return Dialect.StationDhcpEnabled(int.Parse(value, CultureInfo.InvariantCulture));
    }

    /// <summary>AT+CWJAP?: the network joined, or null when not joined (<c>No AP</c>).</summary>
    public async Task<CurrentNetwork?> GetCurrentNetworkAsync(CancellationToken cancellationToken = default)
    {
        var query = Declared(CommandCatalogue.JoinQuery);
        var r = await _module.OkAsync(query, cancellationToken).ConfigureAwait(false);
        var value = r.Value(query.ReplyLine!);
        if (value is null) return null;
        var f = AtText.Fields(value);
        int Int(int i) => f.Count > i && int.TryParse(f[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new CurrentNetwork(f[0], f.Count > 1 ? f[1] : "", Int(2), Int(3));
    }

    /// <summary>AT+CIFSR.</summary>
    public async Task<StationAddresses> GetAddressesAsync(CancellationToken cancellationToken = default)
    {
        var r = await _module.OkAsync(Declared(CommandCatalogue.Addresses), cancellationToken).ConfigureAwait(false);
        string? Field(string name) => r.Value($"+CIFSR:{name},")?.Trim('"');
        return new StationAddresses(Field("STAIP"), Field("STAMAC"), Field("APIP"), Field("APMAC"));
    }

    /// <summary>AT+CIPSTATUS's STATUS code (2 got IP, 3 connected, 4 disconnected, 5 not joined).</summary>
    public async Task<int> GetConnectionStatusAsync(CancellationToken cancellationToken = default)
    {
        var r = await _module.OkAsync(Declared(CommandCatalogue.Status), cancellationToken).ConfigureAwait(false);
        return r.Value("STATUS:") is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;
    }

    /// <summary>AT+PING. A timeout is a result (Reached = false), not an exception.</summary>
    public async Task<PingResult> PingAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var ping = Declared(CommandCatalogue.Ping, AtText.Quote(host)) with { Timeout = _options.PingTimeout };
        var r = await _module.ExchangeAsync(ping, cancellationToken).ConfigureAwait(false);
        int? ms = null;
        var sawPing = false;
        foreach (var line in r.Lines)
            if (Dialect.TryParsePing(line, out var value)) { ms = value; sawPing = true; }
        if (!r.IsOk && !sawPing) throw new AtCommandException(r, FailureExplainer.Explain(r));
        return new PingResult(host, r.IsOk && ms is not null, ms);
    }

    /// <summary>AT+CWQAP.</summary>
    public Task LeaveAsync(CancellationToken cancellationToken = default) => _module.OkAsync(Declared(CommandCatalogue.Leave), cancellationToken);

    /// <summary>AT+CWAUTOCONN: join the saved network at power-up (the seed notes it does so by default).</summary>
    public Task SetAutoConnectAsync(bool enabled, CancellationToken cancellationToken = default)
        => _module.OkAsync(Declared(CommandCatalogue.AutoConnect, enabled ? 1 : 0), cancellationToken);
}
