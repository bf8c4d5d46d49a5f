using System.Net;
using System.Net.Sockets;

namespace Espwire.Cli.Tests;

/// <summary><c>espwire serve --http</c> and <c>espwire demo</c>'s page, as a user runs them.</summary>
public sealed class ServeHttpTests
{
    private static readonly TimeSpan Patience = Espwire.Testing.TestTimeouts.Patience;

    [Fact]
    public async Task A_network_http_address_without_a_token_is_refused_with_exit_2_saying_why()
    {
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(["serve", "--tcp", "127.0.0.1:0", "--no-udp", "--no-db", "--http", "0.0.0.0:0"], new StringWriter(), error);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("without protection", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--http-token", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_token_file_is_a_usage_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = new StringWriter();
            var code = await EspwireCli.RunAsync(["serve", "--no-db", "--http", "0.0.0.0:0", "--http-token-file", file], new StringWriter(), error);
            Assert.Equal(ExitCodes.UsageError, code);
            Assert.Contains("is empty", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_bare_http_port_means_loopback_and_a_token_file_gives_the_token()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "\n  file-token  \n");
            var command = Commands.ServeCommand.Create(out var definition);
            var options = definition.ToReceiverOptions(command.Parse(["--http", "8080"]));
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), Assert.Single(options.Http));
            Assert.Null(options.HttpToken);
            options = definition.ToReceiverOptions(command.Parse(["--http", "0.0.0.0:8080", "--http-token-file", file]));
            Assert.Equal("file-token", options.HttpToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_http_port_clash_names_the_http_port_and_suggests_http()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(["serve", "--tcp", "127.0.0.1:0", "--no-udp", "--no-db", "--http", $"127.0.0.1:{taken}"],
            new StringWriter(), error).WaitAsync(Patience);
        Assert.Equal(ExitCodes.DeviceError, code);
        var text = error.ToString();
        Assert.Contains($"127.0.0.1:{taken} (HTTP)", text, StringComparison.Ordinal);
        Assert.Contains("--http HOST:PORT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--tcp", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_prints_its_page_address_first_and_no_http_turns_it_off()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-demo-http-");
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await EspwireCli.RunAsync(["demo", "--port", "0", "--count", "1", "--time-scale", "0.02", "--interval", "0.05",
                "--readings", "2", "--http", "127.0.0.1:0", "--db", Path.Combine(dir.FullName, "a.db")], output, error).WaitAsync(Patience);
            Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
            Assert.Matches(@"^Live page: http://127\.0\.0\.1:\d+/ ", output.ToString());

            var quiet = new StringWriter();
            code = await EspwireCli.RunAsync(["demo", "--port", "0", "--count", "1", "--time-scale", "0.02", "--interval", "0.05",
                "--readings", "2", "--no-http", "--db", Path.Combine(dir.FullName, "b.db")], quiet, error).WaitAsync(Patience);
            Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
            Assert.DoesNotContain("Live page", quiet.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("http://", quiet.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Demo_takes_the_next_http_port_when_its_own_is_taken()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(["demo", "--port", "0", "--count", "1", "--time-scale", "0.02", "--interval", "0.05",
            "--readings", "1", "--http", $"127.0.0.1:{taken}"], output, error).WaitAsync(Patience);
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
        Assert.Matches(@"^Live page: http://127\.0\.0\.1:(\d+)/", output.ToString());
        Assert.DoesNotContain($"127.0.0.1:{taken}/", output.ToString(), StringComparison.Ordinal);
    }
}
