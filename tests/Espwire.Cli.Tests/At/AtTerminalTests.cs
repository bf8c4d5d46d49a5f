using System.Net.Sockets;
using System.Threading.Channels;
using Espwire.At;
using Espwire.Cli.At;
using Espwire.Ports;
using static Espwire.Cli.Tests.At.CliHarness;

namespace Espwire.Cli.Tests.At;

/// <summary>The interactive terminal with piped input: leftovers drained, the device going away, history kept.</summary>
public class AtTerminalTests
{
    private static CancellationToken Ceiling => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_half_typed_line_left_by_an_earlier_session_does_not_turn_the_first_command_into_an_error()
    {
        await using var host = await StartEmulatorAsync();
        var endpoint = host.Modules[0].Endpoint!;
        using (var earlier = new TcpClient())
        {
            await earlier.ConnectAsync(endpoint);
            // The earlier session typed AT+G and went away without Enter: the module keeps it in its line buffer.
            await earlier.GetStream().WriteAsync("AT+G"u8.ToArray());
            await earlier.GetStream().FlushAsync();
        }
        await using var link = await DeviceLink.OpenAsync(host.Modules[0].PortString);
        await using var channel = new AtChannel(link);
        var output = new StringWriter();
        var terminal = new AtTerminal(channel, new StringReader("AT\nexit\n"), TextWriter.Synchronized(output));
        Assert.Equal(0, await terminal.RunAsync(Ceiling));
        var text = output.ToString();
        var command = text.IndexOf("> AT", StringComparison.Ordinal);
        Assert.True(command >= 0, text);
        Assert.Contains("OK", text[command..], StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wiring", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_device_goes_away_the_terminal_says_so_and_exits_1()
    {
        var host = await StartEmulatorAsync();
        await using var link = await DeviceLink.OpenAsync(host.Modules[0].PortString);
        await using var channel = new AtChannel(link);
        var output = new SignallingWriter();
        var typed = new TypedLines();
        var terminal = new AtTerminal(channel, typed, output);
        var run = terminal.RunAsync(Ceiling);
        typed.Type("AT");
        await output.WaitForAsync("OK").WaitAsync(TimeSpan.FromSeconds(30));
        await host.DisposeAsync(); // the cable is pulled
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        var text = output.ToString();
        Assert.Contains("the device went away", text, StringComparison.Ordinal);
        Assert.Contains("next:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Broken pipe", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_is_kept_between_runs_in_the_history_file()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-history-");
        try
        {
            var history = new TerminalHistory(Path.Combine(dir.FullName, "espwire", "at_history"));
            await using var host = await StartEmulatorAsync();
            await using (var link = await DeviceLink.OpenAsync(host.Modules[0].PortString))
            await using (var channel = new AtChannel(link))
                Assert.Equal(0, await new AtTerminal(channel, new StringReader("AT\nAT+GMR\nexit\n"), TextWriter.Synchronized(new StringWriter()), history).RunAsync(Ceiling));
            Assert.Equal(["AT", "AT+GMR"], File.ReadAllLines(history.Path));

            await using (var link = await DeviceLink.OpenAsync(host.Modules[0].PortString))
            await using (var channel = new AtChannel(link))
            {
                var second = new AtTerminal(channel, new StringReader("AT+CWMODE?\nexit\n"), TextWriter.Synchronized(new StringWriter()), history);
                Assert.Equal(["AT", "AT+GMR"], second.History); // recalled before anything is typed
                Assert.Equal(0, await second.RunAsync(Ceiling));
            }
            Assert.Equal(["AT", "AT+GMR", "AT+CWMODE?"], File.ReadAllLines(history.Path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void History_is_bounded_to_the_newest_lines()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-history-");
        try
        {
            var history = new TerminalHistory(Path.Combine(dir.FullName, "at_history"));
            history.Save(Enumerable.Range(0, TerminalHistory.Limit + 100).Select(i => $"AT+N{i}").ToArray());
            var kept = history.Load();
            Assert.Equal(TerminalHistory.Limit, kept.Count);
            Assert.Equal("AT+N100", kept[0]);
            Assert.Equal($"AT+N{TerminalHistory.Limit + 99}", kept[^1]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_history_file_lives_in_the_users_config_directory()
    {
        var xdg = TerminalHistory.ForUser(v => v switch { "XDG_CONFIG_HOME" => "/tmp/cfg", "HOME" => "/home/u", _ => null });
        Assert.Equal("/tmp/cfg/espwire/at_history", xdg.Path);
        var home = TerminalHistory.ForUser(v => v == "HOME" ? "/home/u" : null);
        Assert.Equal("/home/u/.config/espwire/at_history", home.Path);
    }

    [Fact]
    public async Task The_help_of_at_names_the_prompts_and_the_editing_keys()
    {
        var (exit, output, _) = await RunAsync("at", "--help");
        Assert.Equal(0, exit);
        foreach (var word in new[] { "AT>", "data>", "Home/End", "Ctrl+U", "Ctrl+W", "Ctrl+K", "Up/Down", "Ctrl+C", "Ctrl+D", "at_history" })
            Assert.Contains(word, output, StringComparison.Ordinal);
    }

    /// <summary>Standard input typed a line at a time, as at a keyboard: a read waits until a line is typed.</summary>
    private sealed class TypedLines : TextReader
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public void Type(string line) => _lines.Writer.TryWrite(line);

        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
            => await _lines.Reader.WaitToReadAsync(cancellationToken) && _lines.Reader.TryRead(out var line) ? line : null;
    }
}
