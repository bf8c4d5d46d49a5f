using Espwire.Testing;
using Espwire.Protocol.At;
using Espwire.At.Dialects;
using Espwire.At.Reader;
using Espwire.At.Wifi;
using Espwire.Emulator;

namespace Espwire.At.Tests.Emulated;

/// <summary>The seed's command sequence, through the typed API, against the emulator in both dialects over pty and socket.</summary>
public class SeedSequenceTests
{
    private static CancellationToken Timeout => TestTimeouts.Ceiling(TestTimeouts.Seconds(60));

    [Theory]
    [MemberData(nameof(EmulatedModule.All), MemberType = typeof(EmulatedModule))]
    public async Task Firmware_is_detected_and_drives_the_dialect(FirmwareDialect dialect, Transport transport)
    {
        await using var m = await EmulatedModule.StartAsync(dialect, transport);
        var info = await m.At.GetFirmwareInfoAsync(Timeout);
        if (dialect == FirmwareDialect.NonOs)
        {
            Assert.StartsWith("1.7", info.Version, StringComparison.Ordinal);
            Assert.IsType<NonOsDialect>(m.At.Dialect);
        }
        else
        {
            Assert.StartsWith("2.2", info.Version, StringComparison.Ordinal);
            Assert.IsType<EspAtDialect>(m.At.Dialect);
        }
        Assert.False(m.At.Channel.EchoOn);
        var ok = await m.At.RunAsync("AT", null, Timeout);
        Assert.Equal(ResultCode.Ok, ok.Result);
    }

    [Theory]
    [MemberData(nameof(EmulatedModule.All), MemberType = typeof(EmulatedModule))]
    public async Task The_seeds_sequence_mode_scan_join_ip_ping_leave(FirmwareDialect dialect, Transport transport)
    {
        await using var m = await EmulatedModule.StartAsync(dialect, transport);
        var at = m.At;

        await at.Wifi.SetModeAsync(WifiMode.Station, Timeout);
        Assert.Equal(WifiMode.Station, await at.Wifi.GetModeAsync(Timeout));

        var aps = await at.Wifi.ScanAsync(Timeout);
        var iptime = Assert.Single(aps, a => a.Ssid == "iptime");
        Assert.Equal(Security.Wpa2Psk, iptime.Security);
        Assert.Equal("WPA2_PSK", iptime.SecurityName);
        Assert.Equal(-88, iptime.Rssi);
        Assert.DoesNotContain(aps, a => a.Ssid == "iptime_5G"); // 2.4 GHz radio
        Assert.Equal(aps.OrderByDescending(a => a.Rssi).Select(a => a.Ssid), aps.Select(a => a.Ssid));

        var stages = new List<JoinStage>();
        var join = await at.Wifi.JoinAsync("iptime", "admin", new Progress(stages), Timeout);
        Assert.True(join.Success, join.Diagnosis?.Summary);
        Assert.True(join.Associated);
        Assert.True(join.GotIp);
        lock (stages) Assert.Contains(JoinStage.GotIp, stages.ToArray()); // the reader's thread may still report

        var network = await at.Wifi.GetCurrentNetworkAsync(Timeout);
        Assert.Equal("iptime", network?.Ssid);

        var addresses = await at.Wifi.GetAddressesAsync(Timeout);
        Assert.Equal("192.168.0.138", addresses.StationIp);
        Assert.Equal(m.Module.MacAddress, addresses.StationMac);

        var ping = await at.Wifi.PingAsync("www.google.com", Timeout);
        Assert.True(ping.Reached);
        Assert.NotNull(ping.Milliseconds);

        await at.Wifi.LeaveAsync(Timeout);
        Assert.Null(await at.Wifi.GetCurrentNetworkAsync(Timeout));
        await at.Wifi.SetAutoConnectAsync(false, Timeout);
    }

    private sealed class Progress(List<JoinStage> stages) : IProgress<JoinStage>
    {
        public void Report(JoinStage value)
        {
            lock (stages) stages.Add(value);
        }
    }
}
