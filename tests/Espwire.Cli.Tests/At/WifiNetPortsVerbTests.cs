using Espwire.At;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Espwire.Emulator;
using Espwire.Emulator.World;
using static Espwire.Cli.Tests.At.CliHarness;

namespace Espwire.Cli.Tests.At;

public class WifiNetPortsVerbTests
{
    [Fact]
    public async Task Wifi_join_in_the_seeds_dhcp_case_explains_and_offers_the_fix()
    {
        await using var host = await StartEmulatorAsync(FirmwareDialect.NonOs, WifiWorld.Default.WithStationDhcpOff());
        var port = host.Modules[0].PortString;
        var (exit, output, _) = await RunAsync("wifi", "join", "iptime", "admin", "--port", port);
        Assert.Equal(1, exit);
        Assert.Contains("WIFI CONNECTED", output, StringComparison.Ordinal);
        Assert.Contains("DHCP", output, StringComparison.Ordinal);
        Assert.Contains("--fix-dhcp", output, StringComparison.Ordinal);

        var (fixedExit, fixedOutput, _) = await RunAsync("wifi", "join", "iptime", "admin", "--port", port, "--fix-dhcp");
        Assert.Equal(0, fixedExit);
        Assert.Contains("AT+CWDHCP=1,1", fixedOutput, StringComparison.Ordinal);
        Assert.Contains("Joined 'iptime'", fixedOutput, StringComparison.Ordinal);
        Assert.Contains("192.168.0.138", fixedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wifi_scan_json_lists_access_points_with_security_names()
    {
        await using var host = await StartEmulatorAsync(FirmwareDialect.EspAt);
        var (exit, output, _) = await RunAsync("wifi", "scan", "--port", host.Modules[0].PortString, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var iptime = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("ssid").GetString() == "iptime");
        Assert.Equal("WPA2_PSK", iptime.GetProperty("security").GetString());
        Assert.Equal(-88, iptime.GetProperty("rssi").GetInt32());
    }

    [Fact]
    public async Task Wifi_scan_status_ip_ping_leave_as_text()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        var scan = await RunAsync("wifi", "scan", "--port", port);
        Assert.Equal(0, scan.Exit);
        Assert.Contains("WPA2_PSK", scan.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("wifi", "join", "iptime", "admin", "--port", port)).Exit);
        var status = await RunAsync("wifi", "status", "--port", port);
        Assert.Contains("iptime", status.Output, StringComparison.Ordinal);
        var ip = await RunAsync("wifi", "ip", "--port", port, "--json");
        Assert.Equal("192.168.0.138", JsonDocument.Parse(ip.Output).RootElement.GetProperty("stationIp").GetString());
        var ping = await RunAsync("wifi", "ping", "www.google.com", "--port", port);
        Assert.Equal(0, ping.Exit);
        Assert.Contains("Reply from www.google.com", ping.Output, StringComparison.Ordinal);
        var leave = await RunAsync("wifi", "leave", "--port", port);
        Assert.Equal(0, leave.Exit);
    }

    [Fact]
    public async Task Net_send_delivers_the_text_like_the_seeds_println()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        Assert.Equal(0, (await RunAsync("wifi", "join", "iptime", "admin", "--port", port)).Exit);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serverPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptTcpClientAsync();
        var (exit, output, error) = await RunAsync("net", "send", "--port", port, "--to", $"127.0.0.1:{serverPort}", "581");
        Assert.True(exit == 0, error);
        Assert.Contains("Sent 5 bytes", output, StringComparison.Ordinal);
        using var peer = await accept.WaitAsync(TimeSpan.FromSeconds(30));
        var line = await new StreamReader(peer.GetStream()).ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("581", line);
    }

    [Theory]
    [InlineData("net", "send", "--port", "socket://127.0.0.1:9", "--to", "127.0.0.1:1", "581", "--stdin")]
    [InlineData("net", "send", "--port", "socket://127.0.0.1:9", "--to", "127.0.0.1:1")]
    [InlineData("net", "send", "--port", "socket://127.0.0.1:9", "--to", "127.0.0.1:99999", "x")]
    [InlineData("net", "listen", "--port", "socket://127.0.0.1:9", "--local-port", "0")]
    [InlineData("wifi", "join", "--port", "socket://127.0.0.1:9")]
    [InlineData("at", "--port", "nonsense://x", "AT")]
    public async Task Bad_option_combinations_are_usage_errors(params string[] args)
    {
        var (exit, _, _) = await RunAsync(args);
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task An_ssid_longer_than_32_characters_is_a_usage_error_before_anything_is_sent()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, _, error) = await RunAsync("wifi", "join", new string('x', 33), "pw", "--port", host.Modules[0].PortString);
        Assert.Equal(2, exit);
        Assert.Contains("SSID", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ports_json_is_an_array()
    {
        var (exit, output, _) = await RunAsync("ports", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
    }

    [Fact]
    public void Ports_json_lists_a_port_that_exists()
    {
        // A sysfs tree with one USB-serial port, as the kernel shows a CP2102: the JSON must carry it, not [].
        var root = Directory.CreateTempSubdirectory("espwire-ports-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "bus", "usb-serial"));
            var device = Directory.CreateDirectory(Path.Combine(root, "devices", "serial0")).FullName;
            File.CreateSymbolicLink(Path.Combine(device, "subsystem"), Path.Combine(root, "bus", "usb-serial"));
            var tty = Directory.CreateDirectory(Path.Combine(root, "class", "tty", "ttyUSB0")).FullName;
            File.CreateSymbolicLink(Path.Combine(tty, "device"), device);
            var output = new StringWriter();
            Espwire.Cli.Commands.PortsCommand.Render(Espwire.Ports.SerialPortList.FromSysfs(root, "/dev"), output, json: true);
            using var doc = JsonDocument.Parse(output.ToString());
            var port = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("/dev/ttyUSB0", port.GetProperty("path").GetString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
