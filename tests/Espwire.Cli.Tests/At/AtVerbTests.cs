using Espwire.At;
using System.Text.Json;
using Espwire.At.Reader;
using Espwire.Cli.At;
using Espwire.Emulator;
using Espwire.Emulator.World;
using Espwire.Ports;
using static Espwire.Cli.Tests.At.CliHarness;

namespace Espwire.Cli.Tests.At;

public class AtVerbTests
{
    [Fact]
    public async Task Runs_commands_and_prints_replies()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "AT", "AT+GMR");
        Assert.Equal(0, exit);
        Assert.Contains("> AT+GMR", output, StringComparison.Ordinal);
        Assert.Contains("AT version:1.7.4", output, StringComparison.Ordinal);
        Assert.Contains("OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_reply_is_printed_whole_under_its_command_before_the_next_command()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "AT+GMR", "AT", "AT+GMR", "AT");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string[] gmr = ["> AT+GMR", "AT version:1.7.4.0(May 11 2020 19:13:04)", "SDK version:3.0.4(9532ceb)",
            "compile time:May 27 2020 10:12:17", "Bin version(Wroom 02):1.7.4", "OK"];
        string[] at = ["> AT", "OK"];
        Assert.Equal([.. gmr, .. at, .. gmr, .. at], lines);
    }

    [Fact]
    public async Task A_mistyped_option_is_a_usage_error_not_a_command()
    {
        var (exit, _, error) = await RunAsync("at", "--port", "socket://127.0.0.1:9", "--trace", "AT");
        Assert.Equal(2, exit);
        Assert.Contains("'--trace' is not an option", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_commands_over_a_pseudo_terminal_opened_as_a_serial_port()
    {
        await using var host = await StartEmulatorAsync(FirmwareDialect.EspAt, pty: true);
        var pts = host.Modules[0].PtyPath!;
        Assert.StartsWith("/dev/pts/", pts, StringComparison.Ordinal);
        var (exit, output, error) = await RunAsync("at", "--port", pts, "--baud", "115200", "AT+GMR", "AT+CWMODE?");
        Assert.True(exit == 0, output + error);
        Assert.Contains("AT version:2.2", output, StringComparison.Ordinal);
        Assert.Contains("+CWMODE:1", output, StringComparison.Ordinal);
        Assert.Contains("Station mode", output, StringComparison.Ordinal); // the decoded line under +CWMODE:1
    }

    [Fact]
    public async Task A_rejected_command_exits_1_with_an_explanation()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "AT+NOSUCHTHING");
        Assert.Equal(1, exit);
        Assert.Contains("ERROR", output, StringComparison.Ordinal);
        Assert.Contains(ReplyPrinter.DecodedMarker, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_one_object_per_command()
    {
        await using var host = await StartEmulatorAsync(FirmwareDialect.EspAt);
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "--json", "AT", "AT+GMR");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        var gmr = doc.RootElement[1];
        Assert.Equal("AT+GMR", gmr.GetProperty("command").GetString());
        Assert.True(gmr.GetProperty("ok").GetBoolean());
        Assert.StartsWith("AT version:2.2", gmr.GetProperty("lines")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_without_commands_is_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("at", "--port", "socket://127.0.0.1:9", "--json");
        Assert.Equal(2, exit);
        Assert.Contains("--json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_port_exits_1_with_the_next_step()
    {
        var (exit, _, error) = await RunAsync("at", "--port", "/dev/ttyUSB-espwire-missing", "AT");
        Assert.Equal(1, exit);
        Assert.Contains("espwire ports", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_sends_both_nl_and_cr_and_prints_replies_in_order()
    {
        await using var host = await StartEmulatorAsync();
        await using var link = await DeviceLink.OpenAsync(host.Modules[0].PortString);
        await using var channel = new AtChannel(link);
        var output = new StringWriter();
        var terminal = new AtTerminal(channel, new StringReader("AT\nAT+GMR\nexit\n"), TextWriter.Synchronized(output));
        Assert.Equal(0, await terminal.RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));
        var text = output.ToString();
        var gmr = text.IndexOf("AT+GMR", StringComparison.Ordinal);
        Assert.True(gmr > 0, text);
        Assert.True(text.IndexOf("AT version:1.7.4", StringComparison.Ordinal) > gmr, text);
        Assert.Equal(["AT", "AT+GMR"], terminal.History);
    }

    [Fact]
    public async Task Terminal_decodes_cwjap_1_after_wifi_connected_as_the_dhcp_case()
    {
        await using var host = await StartEmulatorAsync(FirmwareDialect.NonOs, WifiWorld.Default.WithStationDhcpOff());
        await using var link = await DeviceLink.OpenAsync(host.Modules[0].PortString);
        await using var channel = new AtChannel(link);
        var output = new StringWriter();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = channel.Subscribe(e => { if (e is UnsolicitedLine { Kind: Unsolicited.WifiDisconnect }) seen.TrySetResult(); });
        var terminal = new AtTerminal(channel, new StringReader("AT+CWMODE=1\nAT+CWJAP=\"iptime\",\"admin\"\n"), TextWriter.Synchronized(output));
        await terminal.RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var code = lines.IndexOf("+CWJAP:1");
        Assert.True(code >= 0, output.ToString());
        Assert.StartsWith(ReplyPrinter.DecodedMarker, lines[code + 1], StringComparison.Ordinal);
        Assert.Contains("AT+CWDHCP=1,1", lines[code + 1], StringComparison.Ordinal);
        Assert.Contains("FAIL", lines);
    }

    [Fact]
    public async Task A_module_running_a_sketch_is_named_as_not_at_firmware_with_the_restore_step()
    {
        // The seed after step 8: the board runs the sensor sketch, which prints its own lines and ignores AT. Its
        // readings go to this test's own listener, never to the seed's default 127.0.0.1:12345 (a user's receiver).
        using var laptop = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        laptop.Start();
        await using var host = await Espwire.Emulator.Hosting.EmulatorHost.StartAsync(new Espwire.Emulator.Hosting.EmulatorHostOptions
        {
            Module = new ModuleOptions
            {
                Mode = BootMode.Sketch,
                TimeScale = 0.01,
                Sketch = new Espwire.Emulator.Sketch.SketchOptions
                {
                    ServerHost = "127.0.0.1",
                    ServerPort = ((System.Net.IPEndPoint)laptop.LocalEndpoint).Port,
                },
            },
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        });
        var (exit, _, error) = await RunAsync("at", "--port", host.Modules[0].PortString, "AT+GMR");
        Assert.Equal(1, exit);
        Assert.Contains("not running AT firmware", error, StringComparison.Ordinal);
        Assert.Contains("espwire flash restore-at", error, StringComparison.Ordinal);
        Assert.DoesNotContain("may still be busy", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wifi_disconnect_from_cwqap_is_printed_under_cwqap_not_the_next_command()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString,
            "AT+CWMODE_CUR=1", "AT+CWJAP_CUR=\"iptime\",\"admin\"", "AT+CWQAP", "AT");
        Assert.Equal(0, exit);
        var quit = output.IndexOf("> AT+CWQAP", StringComparison.Ordinal);
        var next = output.IndexOf("> AT\n", quit, StringComparison.Ordinal);
        var notice = output.IndexOf("WIFI DISCONNECT", quit, StringComparison.Ordinal);
        Assert.True(quit >= 0 && next > quit, output);
        Assert.True(notice > quit && notice < next, output);
    }
}
