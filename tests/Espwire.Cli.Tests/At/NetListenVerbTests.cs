using Espwire.At;
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
        await output.WaitForAsync("Listening on").WaitAsync(TimeSpan.FromSeconds(30));
        var endpoint = host.Modules[0].Module.ServerEndpoint!;
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
}
