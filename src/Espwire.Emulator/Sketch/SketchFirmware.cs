using Espwire.Protocol.At;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Espwire.Emulator.Network;
using Espwire.Emulator.World;

namespace Espwire.Emulator.Sketch;

/// <summary>
/// The seed's Arduino sketch: scan, print the networks, WiFi.begin and poll WiFi.status() every 500 ms, then once
/// per loop open a new TCP connection to the server and <c>client.println(num++)</c>.
/// <para>Time is kept as the sketch sees it (the sum of its delays), so the serial output is the same at any
/// <c>--time-scale</c>: the seed's eight <c>[status : 7]</c> lines come out eight times.</para>
/// </summary>
public sealed class SketchFirmware : IFirmware
{
    private readonly VirtualModule _module;
    private readonly SketchOptions _options;
    private IModuleUart? _uart;
    private long _millis;
    private long _beginAt = -1;

    public SketchFirmware(VirtualModule module, SketchOptions options)
    {
        _module = module;
        _options = options;
    }

    private Timing Timing => _module.World.Timing;

    public async Task RunAsync(IModuleUart uart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uart);
        _uart = uart;
        var ct = cancellationToken;
        // Serial.begin(115200); delay(10);
        uart.BaudRate = 115200;
        await DelayAsync(10, ct).ConfigureAwait(false);

        // int n = WiFi.scanNetworks(); the scan itself blocks for its duration.
        var station = new Wifi.Station(_module);
        await DelayAsync(Timing.ScanMs, ct).ConfigureAwait(false);
        var networks = station.VisibleAccessPoints();
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
        _beginAt = _millis;
        while (Status() != WifiStatus.Connected)
        {
            await DelayAsync(500, ct).ConfigureAwait(false);
            await PrintLineAsync($"Connecting to '{_options.Ssid}' [status : {(int)Status()}]", ct).ConfigureAwait(false);
        }
        await PrintLineAsync("\nWi-Fi connected.\n", ct).ConfigureAwait(false);
        // ArduinoOTA.begin() once Wi-Fi is up; its handle() runs beside loop() until the next reset (Ota/ArduinoOtaService).
        await using var ota = Ota.ArduinoOtaService.Begin(_module, _options.Ota, ct);

        var num = _options.FirstValue;
        var loops = 0;
        while (_options.MaxReadings is null || loops < _options.MaxReadings)
        {
            loops++;
            using var client = await ConnectAsync(ct).ConfigureAwait(false);
            if (client is null)
            {
                await PrintLineAsync("Failed to connect to server.", ct).ConfigureAwait(false);
                await DelayAsync(500, ct).ConfigureAwait(false);
            }
            var value = FormatValue(num++);
            if (client is not null)
            {
                var text = (_options.DeviceId is null ? "" : "@id " + _options.DeviceId + "\r\n") + value + "\r\n";
                try
                {
                    await client.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, ct).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // The server went away between connect and send: println on a dead client writes nothing.
                }
            }
            await DelayAsync((int)_options.Interval.TotalMilliseconds, ct).ConfigureAwait(false);
            // The WiFiClient goes out of scope at the end of loop(): the connection closes.
            if (client is not null)
            {
                try
                {
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                }
            }
        }
        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
    }

    /// <summary>WiFi.status() at the sketch's current time: joins take association plus DHCP time.</summary>
    private WifiStatus Status()
    {
        if (_beginAt < 0) return WifiStatus.Disconnected;
        var elapsed = _millis - _beginAt;
        var ap = _module.World.AccessPoints.FirstOrDefault(a => a.Band == Band.Ghz24 && a.Ssid == _options.Ssid);
        if (ap is null) return elapsed >= Timing.NoApMs ? WifiStatus.NoSsidAvailable : WifiStatus.Disconnected;
        if (ap.Security != Security.Open && ap.Password != _options.Password)
            return elapsed >= Timing.WrongPasswordMs ? WifiStatus.WrongPassword : WifiStatus.Disconnected;
        var dhcp = ap.Dhcp && _module.Flash.Current.StationDhcp;
        if (!dhcp) return WifiStatus.Disconnected;
        return elapsed >= Timing.AssociateMs + Timing.DhcpMs ? WifiStatus.Connected : WifiStatus.Disconnected;
    }

    private string FormatValue(int n)
    {
        if (_options.Shape == ValueShape.Counter) return n.ToString(CultureInfo.InvariantCulture);
        // A target walking slowly back and forth in front of the radar; each module its own phase.
        var phase = n / 6.0 + _module.Options.Index;
        var distance = 1.5 + 0.6 * Math.Sin(phase);
        var velocity = 0.6 * Math.Cos(phase) / 6.0 * 10;
        return string.Create(CultureInfo.InvariantCulture, $"distance={distance:0.00},velocity={velocity:0.0}");
    }

    private async Task<Socket?> ConnectAsync(CancellationToken ct)
    {
        var address = await _module.Network.ResolveAsync(_options.ServerHost, ct).ConfigureAwait(false);
        var endpoint = address is null ? null : _module.Network.Route(address, _options.ServerPort);
        return endpoint is null ? null : await NetworkGateway.ConnectTcpAsync(endpoint, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
    }

    private async Task DelayAsync(int ms, CancellationToken ct)
    {
        _millis += ms;
        await _module.Clock.DelayAsync(ms, ct).ConfigureAwait(false);
    }

    private ValueTask PrintAsync(string text, CancellationToken ct) => _uart!.WriteAsync(Encoding.ASCII.GetBytes(text), ct);

    private ValueTask PrintLineAsync(string text, CancellationToken ct) => PrintAsync(text + "\r\n", ct);
}
