using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Espwire.Cli;

namespace Espwire.Cli.Tests;

public sealed class EmulateCommandTests
{
    [Fact]
    public async Task Print_world_shows_the_seed_s_network_and_the_5_GHz_one()
    {
        var output = new StringWriter();
        var code = await EspwireCli.RunAsync(["emulate", "--print-world"], output, new StringWriter());
        Assert.Equal(ExitCodes.Ok, code);
        using var world = JsonDocument.Parse(output.ToString());
        var aps = world.RootElement.GetProperty("accessPoints").EnumerateArray().ToList();
        var iptime = Assert.Single(aps, ap => ap.GetProperty("ssid").GetString() == "iptime");
        Assert.Equal("admin", iptime.GetProperty("password").GetString());
        Assert.Equal(-88, iptime.GetProperty("rssi").GetInt32());
        Assert.Contains(aps, ap => ap.GetProperty("band").GetString() == "ghz5");
    }

    [Theory]
    [InlineData("--listen", "10.0.0.1:4000")]
    [InlineData("--listen", "192.168.0.40:4000")]
    [InlineData("--count", "0")]
    [InlineData("--mode", "flash")]
    [InlineData("--firmware", "3.0")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(["emulate", option, value], new StringWriter(), error);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.NotEqual("", error.ToString().Trim());
    }

    [Fact]
    public async Task Serves_an_AT_module_on_loopback_until_cancelled()
    {
        var output = new LineSignallingWriter();
        using var stop = new CancellationTokenSource();
        var run = EspwireCli.RunAsync(["emulate", "--listen", "127.0.0.1:0", "--json", "--time-scale", "0"], output, new StringWriter(), stop.Token);

        var json = await output.FirstLine.WaitAsync(TimeSpan.FromSeconds(30));
        using var modules = JsonDocument.Parse(json);
        var endpoint = IPEndPoint.Parse(modules.RootElement[0].GetProperty("tcp").GetString()!);
        Assert.True(IPAddress.IsLoopback(endpoint.Address));

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endpoint).WaitAsync(TimeSpan.FromSeconds(30));
            var stream = client.GetStream();
            await stream.WriteAsync("AT\r\n"u8.ToArray());
            // The 1.7 firmware echoes with \r\r\n, then a blank line and OK.
            var expected = "AT\r\r\n\r\nOK\r\n";
            var received = new StringBuilder();
            var buffer = new byte[256];
            while (!received.ToString().EndsWith(expected, StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.True(n > 0, $"the module closed the link after: {received}");
                received.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
        }

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Completes <see cref="FirstLine"/> with the first line written, so the test waits on the event itself.</summary>
    private sealed class LineSignallingWriter : StringWriter
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _first.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            _first.TrySetResult(value ?? "");
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
