using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.At.Errors;
using static Espwire.Cli.Tests.At.CliHarness;

namespace Espwire.Cli.Tests.At;

/// <summary>
/// A module's ERROR explained by what was sent and the module's state, driven through `espwire at` against the
/// emulator; each hint that names a next step is followed and checked to work. The wiring hint only when the
/// answer was noise or silence.
/// </summary>
public class ModuleErrorHintTests
{
    private const string Wiring = "TX to RX";

    [Fact]
    public async Task A_lowercase_command_is_named_as_such_and_the_upper_case_form_works()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        var (exit, output, _) = await RunAsync("at", "--port", port, "at+gmr");
        Assert.Equal(1, exit);
        Assert.Contains("only takes commands in upper case", output, StringComparison.Ordinal);
        Assert.Contains("Send it as AT+GMR.", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Wiring, output, StringComparison.Ordinal);

        var (again, answer, _) = await RunAsync("at", "--port", port, "AT+GMR");
        Assert.Equal(0, again);
        Assert.Contains("AT version:1.7.4", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lowercase_command_keeps_its_arguments_in_the_suggestion()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "at+cwjap_cur=\"iptime\",\"admin\"");
        Assert.Equal(1, exit);
        Assert.Contains("Send it as AT+CWJAP_CUR=\"iptime\",\"admin\".", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_named_as_not_an_at_command_without_the_wiring_hint()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "AT+CWJAPP=\"iptime\",\"admin\"");
        Assert.Equal(1, exit);
        Assert.Contains("AT+CWJAPP is not an ESP8266 AT command", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Wiring, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_command_with_a_bad_parameter_says_so_without_the_wiring_hint()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "AT+CWMODE_CUR=9");
        Assert.Equal(1, exit);
        Assert.Contains("The module rejected AT+CWMODE_CUR=9: the command exists, so a parameter is wrong", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Wiring, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Emulator.FirmwareDialect.NonOs)]
    [InlineData(Emulator.FirmwareDialect.EspAt)]
    public async Task Connecting_before_joining_says_join_first_and_joining_as_told_makes_it_work(Emulator.FirmwareDialect dialect)
    {
        await using var host = await StartEmulatorAsync(dialect);
        var port = host.Modules[0].PortString;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connect = $"AT+CIPSTART=\"TCP\",\"127.0.0.1\",{((IPEndPoint)listener.LocalEndpoint).Port}";

        var (exit, output, _) = await RunAsync("at", "--port", port, connect);
        Assert.Equal(1, exit);
        Assert.Contains("not joined to a network", output, StringComparison.Ordinal);
        Assert.Contains("espwire wifi join SSID PASSWORD", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Wiring, output, StringComparison.Ordinal);
        // The question the explainer asks (AT+CWJAP?) is not printed as if the user had sent it.
        Assert.DoesNotContain("No AP", output.Split('\n').Select(l => l.TrimEnd('\r')));

        var (joined, joinOutput, joinError) = await RunAsync("wifi", "join", "iptime", "admin", "--port", port);
        Assert.True(joined == 0, joinOutput + joinError);

        var accepted = listener.AcceptTcpClientAsync();
        var (again, answer, _) = await RunAsync("at", "--port", port, connect);
        Assert.True(again == 0, answer);
        using var client = await accepted.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(client.Connected);
    }

    [Fact]
    public async Task Pinging_before_joining_says_join_first()
    {
        await using var host = await StartEmulatorAsync();
        var (exit, output, _) = await RunAsync("at", "--port", host.Modules[0].PortString, "AT+PING=\"192.168.0.40\"");
        Assert.Equal(1, exit);
        Assert.Contains(FailureExplainer.JoinFirst, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sending_with_no_link_open_says_open_one_and_opening_one_makes_it_work()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        Assert.Equal(0, (await RunAsync("wifi", "join", "iptime", "admin", "--port", port)).Exit);
        var (exit, output, _) = await RunAsync("at", "--port", port, "AT+CIPSEND=4");
        Assert.Equal(1, exit);
        Assert.Contains("Open one with AT+CIPSTART", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Wiring, output, StringComparison.Ordinal);

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var (again, answer, _) = await RunAsync("at", "--port", port,
            $"AT+CIPSTART=\"TCP\",\"127.0.0.1\",{((IPEndPoint)listener.LocalEndpoint).Port}", "AT+CIPSEND=4");
        Assert.True(again == 0, answer);
        Assert.True(answer.Contains("waits for the data bytes", StringComparison.Ordinal), answer); // the > prompt
    }

    [Fact]
    public async Task A_server_in_single_connection_mode_says_cipmux_first_and_sending_it_makes_it_work()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        var (exit, output, _) = await RunAsync("at", "--port", port, "AT+CIPSERVER=1,333");
        Assert.Equal(1, exit);
        Assert.Contains("Send AT+CIPMUX=1 first", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Wiring, output, StringComparison.Ordinal);

        var (again, answer, _) = await RunAsync("at", "--port", port, "AT+CIPMUX=1", "AT+CIPSERVER=1,333");
        Assert.True(again == 0, answer);
    }

    [Fact]
    public async Task An_error_wrapped_in_noise_gets_the_wiring_hint()
    {
        // A device that answers every line with line noise and then ERROR, as a module at the wrong baud rate may.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var device = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[256];
            while (await stream.ReadAsync(buffer) is > 0 and var n)
                if (Array.IndexOf(buffer, (byte)'\n', 0, n) >= 0)
                    await stream.WriteAsync((byte[])[0xF8, 0x80, 0xFE, 0x1C, 0xC3, 0x28, (byte)'\r', (byte)'\n', .. "ERROR\r\n"u8.ToArray()]);
        });
        var (exit, output, _) = await RunAsync("at", "--port", $"socket://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", "AT");
        Assert.Equal(1, exit);
        Assert.Contains("bytes of noise", output, StringComparison.Ordinal);
        Assert.Contains(Wiring, output, StringComparison.Ordinal);
        Assert.Contains("baud rate", output, StringComparison.Ordinal);
        listener.Stop();
    }

    [Fact]
    public async Task Silence_gets_the_wiring_hint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptTcpClientAsync();
        var (exit, _, error) = await RunAsync("at", "--port", $"socket://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", "AT");
        using var client = await accepted;
        Assert.Equal(1, exit);
        Assert.Contains("Nothing came back", error, StringComparison.Ordinal);
        Assert.Contains("baud rate", error, StringComparison.Ordinal);
    }
}
