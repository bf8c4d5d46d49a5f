using Espwire.Protocol.At;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Emulator.Network;
using Espwire.Emulator.World;

namespace Espwire.Emulator.Sketch;

/// <summary>What a sketch running on the module can use: Serial, delay(), WiFi.status(), a TCP connect, and a
/// progress line for the console. Time is kept as the sketch sees it (the sum of its delays), so the serial output
/// is the same at any <c>--time-scale</c>.</summary>
internal sealed class SketchRuntime
{
    private readonly IModuleUart _uart;
    private readonly SemaphoreSlim _printGate = new(1, 1);
    private long _millis;
    private long _beginAt = -1;
    private string? _lastFailure;

    public SketchRuntime(VirtualModule module, SketchOptions options, IModuleUart uart)
    {
        Module = module;
        Options = options;
        _uart = uart;
        DeviceName = options.DeviceNameFor(module.Options.Index);
    }

    public VirtualModule Module { get; }

    public SketchOptions Options { get; }

    /// <summary>The name the sketch sends in its <c>@id</c> line; null sends none (the seed's way).</summary>
    public string? DeviceName { get; }

    public Timing Timing => Module.World.Timing;

    public WifiSignal? Signal => Options.Signal;

    public string ServerText => $"{Options.ServerHost}:{Options.ServerPort}";

    public async Task DelayAsync(int ms, CancellationToken ct)
    {
        _millis += ms;
        await Module.Clock.DelayAsync(ms, ct).ConfigureAwait(false);
    }

    // The Espwire sketch prints from its producer and its link at once; the UART takes one writer at a time.
    public async ValueTask PrintAsync(string text, CancellationToken ct)
    {
        await _printGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _uart.WriteAsync(Encoding.ASCII.GetBytes(text), ct).ConfigureAwait(false);
        }
        finally
        {
            _printGate.Release();
        }
    }

    public ValueTask PrintLineAsync(string text, CancellationToken ct) => PrintAsync(text + "\r\n", ct);

    public void Report(SketchStage stage, string message)
        => Options.Progress?.Report(new SketchProgress(Module.Options.Index, DeviceName, stage, message));

    /// <summary>Reports a failure once per streak, so a console is not flooded once a second with the same words.</summary>
    public void ReportFailure(SketchStage stage, string message)
    {
        if (message == _lastFailure) return;
        _lastFailure = message;
        Report(stage, message);
    }

    /// <summary>After a failure streak ends: says so once.</summary>
    public void ReportRecovered(SketchStage stage, string message)
    {
        if (_lastFailure is null) return;
        _lastFailure = null;
        Report(stage, message);
    }

    /// <summary>The seed's setup(): Serial.begin, the scan and its list, WiFi.begin and the status polls.</summary>
    public async Task BootAsync(CancellationToken ct)
    {
        // Serial.begin(115200); delay(10);
        _uart.BaudRate = 115200;
        await DelayAsync(10, ct).ConfigureAwait(false);

        // int n = WiFi.scanNetworks(); the scan itself blocks for its duration.
        Report(SketchStage.Scanning, "scanning for Wi-Fi networks");
        var station = new Wifi.Station(Module);
        await DelayAsync(Timing.ScanMs, ct).ConfigureAwait(false);
        var networks = Signal is { IsUp: false } ? [] : station.VisibleAccessPoints();
        await PrintAsync(" Wi-Fi scan result :  ", ct).ConfigureAwait(false);
        if (networks.Count == 0) await PrintLineAsync("network not found\n", ct).ConfigureAwait(false);
        else await PrintLineAsync(networks.Count.ToString(CultureInfo.InvariantCulture) + " networks found\n", ct).ConfigureAwait(false);
        for (var i = 0; i < networks.Count; i++)
        {
            var ap = networks[i];
            await PrintAsync($"[Wi-Fi {i + 1}]  {ap.Ssid}\t\t({ap.Rssi} dbm)", ct).ConfigureAwait(false);
            await PrintLineAsync(ap.Security == Security.Open ? " " : "   * encryption *", ct).ConfigureAwait(false);
            await DelayAsync(10, ct).ConfigureAwait(false);
        }
        await PrintLineAsync("", ct).ConfigureAwait(false);

        // WiFi.begin(ssid, password); while (WiFi.status() != WL_CONNECTED) { delay(500); print status }
        Report(SketchStage.Joining, $"found {networks.Count} network{(networks.Count == 1 ? "" : "s")}; joining '{Options.Ssid}'");
        _beginAt = _millis;
        var reported = false;
        while (Status() != WifiStatus.Connected)
        {
            await DelayAsync(500, ct).ConfigureAwait(false);
            var status = Status();
            await PrintLineAsync($"Connecting to '{Options.Ssid}' [status : {(int)status}]", ct).ConfigureAwait(false);
            if (!reported && status is WifiStatus.NoSsidAvailable or WifiStatus.WrongPassword)
            {
                reported = true;
                Report(SketchStage.JoinFailed, status == WifiStatus.NoSsidAvailable
                    ? $"cannot join '{Options.Ssid}': no such network in range (status 1). Pass --ssid with a network of the world (see --print-world)."
                    : $"cannot join '{Options.Ssid}': wrong password (status 6). Pass the network's --password.");
            }
        }
        await PrintLineAsync("\nWi-Fi connected.\n", ct).ConfigureAwait(false);
        Report(SketchStage.Joined, $"joined '{Options.Ssid}' as {station.DhcpAddress()}");
    }

    /// <summary>WiFi.status() at the sketch's current time: joins take association plus DHCP time.</summary>
    public WifiStatus Status()
    {
        if (_beginAt < 0) return WifiStatus.Disconnected;
        if (Signal is { IsUp: false }) return WifiStatus.Disconnected;
        var elapsed = _millis - _beginAt;
        var ap = Module.World.AccessPoints.FirstOrDefault(a => a.Band == Band.Ghz24 && a.Ssid == Options.Ssid);
        if (ap is null) return elapsed >= Timing.NoApMs ? WifiStatus.NoSsidAvailable : WifiStatus.Disconnected;
        if (ap.Security != Security.Open && ap.Password != Options.Password)
            return elapsed >= Timing.WrongPasswordMs ? WifiStatus.WrongPassword : WifiStatus.Disconnected;
        var dhcp = ap.Dhcp && Module.Flash.Current.StationDhcp;
        if (!dhcp) return WifiStatus.Disconnected;
        return elapsed >= Timing.AssociateMs + Timing.DhcpMs ? WifiStatus.Connected : WifiStatus.Disconnected;
    }

    public string FormatValue(long n)
    {
        if (Options.Shape == ValueShape.Counter) return n.ToString(CultureInfo.InvariantCulture);
        // A target walking slowly back and forth in front of the radar; each module its own phase.
        var phase = n / 6.0 + Module.Options.Index;
        var distance = 1.5 + 0.6 * Math.Sin(phase);
        var velocity = 0.6 * Math.Cos(phase) / 6.0 * 10;
        return string.Create(CultureInfo.InvariantCulture, $"distance={distance:0.00},velocity={velocity:0.0}");
    }

    /// <summary>client.connect(serverIP, serverPort): the socket, or null and why, in words that say what to pass.</summary>
    public async Task<(Socket? Socket, string? Why)> ConnectAsync(CancellationToken ct)
    {
        if (Signal is { IsUp: false }) return (null, "Wi-Fi is down");
        var address = await Module.Network.ResolveAsync(Options.ServerHost, ct).ConfigureAwait(false);
        if (address is null)
            return (null, $"the name '{Options.ServerHost}' does not resolve. Pass --server with an address, e.g. 192.168.0.40:12345 (the seed's laptop, mapped to 127.0.0.1).");
        var endpoint = Module.Network.Route(address, Options.ServerPort);
        if (endpoint is null)
            return (null, $"{address} is not the laptop or any LAN host of the world, and the emulator does not reach real networks. " +
                "Pass --server 192.168.0.40:PORT (mapped to 127.0.0.1) or 127.0.0.1:PORT, or --allow-network.");
        var socket = await NetworkGateway.ConnectTcpAsync(endpoint, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        if (socket is not null) return (socket, null);
        var mapped = endpoint.Address.Equals(address) ? "" : $" (which stands for {endpoint})";
        return (null, $"nothing accepts connections at {address}:{Options.ServerPort}{mapped}. " +
            $"Start the receiver there (espwire serve --tcp {Loopback(endpoint)}) or pass --server HOST:PORT where it listens.");
    }

    private static string Loopback(IPEndPoint endpoint) => endpoint.ToString();
}
