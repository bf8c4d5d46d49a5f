using Espwire.At;
using System.Net;
using System.Net.Sockets;
using Espwire.Cli;
using static Espwire.Cli.Tests.At.CliHarness;

namespace Espwire.Cli.Tests.At;

public class NetListenVerbTests
{
    [Fact]
    public async Task Listen_prints_what_a_client_sends_and_stops_after_it_leaves_with_once()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        Assert.Equal(0, (await RunAsync("wifi", "join", "iptime", "admin", "--port", port)).Exit);

        var output = new SignallingWriter();
        var listen = EspwireCli.RunAsync(["net", "listen", "--port", port, "--local-port", "3334", "--once"], output, new StringWriter());
        await output.WaitForAsync("Ctrl+C stops").WaitAsync(TimeSpan.FromSeconds(30));
        // Follow what it says: connect where it claims to listen (the emulator's loopback stand-in).
        var endpoint = ListeningOn(output.ToString());
        Assert.Equal(host.Modules[0].Module.ServerEndpoint, endpoint);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endpoint);
            await client.GetStream().WriteAsync("581\r\n"u8.ToArray());
            // Wait until the verb printed the data before closing, so the close cannot overtake it.
            await output.WaitForAsync("581").WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(0, await listen.WaitAsync(TimeSpan.FromSeconds(30)));
        var text = output.ToString();
        Assert.Contains("[link 0] connected", text, StringComparison.Ordinal);
        Assert.Contains("[link 0] 581\\r\\n", text, StringComparison.Ordinal);
        Assert.Contains("closed after 5 bytes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_on_333_says_where_it_really_listens_not_the_modules_lan_address()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        Assert.Equal(0, (await RunAsync("wifi", "join", "iptime", "admin", "--port", port)).Exit);

        var output = new SignallingWriter();
        var listen = EspwireCli.RunAsync(["net", "listen", "--port", port, "--local-port", "333", "--once"], output, new StringWriter());
        await output.WaitForAsync("Ctrl+C stops").WaitAsync(TimeSpan.FromSeconds(30));
        var text = output.ToString();
        Assert.DoesNotContain("Listening on 192.168.0.138", text, StringComparison.Ordinal);
        Assert.Contains("192.168.0.138:333", text, StringComparison.Ordinal); // named as what it stands for
        var endpoint = ListeningOn(text);
        Assert.True(IPAddress.IsLoopback(endpoint.Address), text);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endpoint).WaitAsync(TimeSpan.FromSeconds(30));
            await client.GetStream().WriteAsync("hello\r\n"u8.ToArray());
            await output.WaitForAsync("hello").WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(0, await listen.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Listen_json_gives_the_reachable_endpoint_and_the_modules_own()
    {
        await using var host = await StartEmulatorAsync();
        var port = host.Modules[0].PortString;
        Assert.Equal(0, (await RunAsync("wifi", "join", "iptime", "admin", "--port", port)).Exit);
        var output = new SignallingWriter();
        using var stop = new CancellationTokenSource();
        var listen = EspwireCli.RunAsync(["net", "listen", "--port", port, "--local-port", "333", "--json"], output, new StringWriter(), stop.Token);
        await output.WaitForAsync("listening").WaitAsync(TimeSpan.FromSeconds(30));
        using var doc = System.Text.Json.JsonDocument.Parse(output.ToString().Split('\n')[0]);
        var real = host.Modules[0].Module.ServerEndpoint!;
        Assert.Equal(real.Address.ToString(), doc.RootElement.GetProperty("ip").GetString());
        Assert.Equal(real.Port, doc.RootElement.GetProperty("port").GetInt32());
        Assert.Equal("192.168.0.138", doc.RootElement.GetProperty("moduleIp").GetString());
        Assert.Equal(333, doc.RootElement.GetProperty("modulePort").GetInt32());
        await stop.CancelAsync();
        await listen.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static IPEndPoint ListeningOn(string output)
    {
        var match = System.Text.RegularExpressions.Regex.Match(output, @"Listening on (\S+):(\d+)");
        Assert.True(match.Success, output);
        return new IPEndPoint(IPAddress.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
