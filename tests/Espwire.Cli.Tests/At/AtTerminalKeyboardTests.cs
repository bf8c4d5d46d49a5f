using Espwire.Testing;
using System.Net.Sockets;
using Espwire.At;
using Espwire.Cli.At;
using Espwire.Emulator.Hosting;
using Espwire.Ports;
using static Espwire.Cli.Tests.At.CliHarness;

namespace Espwire.Cli.Tests.At;

/// <summary>The terminal at a keyboard (keys as a terminal sends them, a screen that interprets what is written)
/// against the emulated module: the prompt, each line once, output while typing, the data prompt, leaving.</summary>
public class AtTerminalKeyboardTests
{
    private static readonly TimeSpan Patience = TestTimeouts.Patience;

    private sealed class Session : IAsyncDisposable
    {
        private readonly CancellationTokenSource _ceiling = new(TestTimeouts.Patience * 3);
        private readonly IDeviceLink _link;
        private readonly AtChannel _channel;

        private Session(IDeviceLink link, TerminalHistory? history)
        {
            _link = link;
            _channel = new AtChannel(link);
            Run = new AtTerminal(_channel, Keys, Screen, history).RunAsync(_ceiling.Token);
        }

        public TypedKeys Keys { get; } = new();

        public ScreenWriter Screen { get; } = new();

        public Task<int> Run { get; }

        public static async Task<Session> StartAsync(EmulatorHost host, TerminalHistory? history = null)
        {
            var session = new Session(await DeviceLink.OpenAsync(host.Modules[0].PortString), history);
            await session.WaitAsync(session.Screen.WaitForCursorLineAsync("AT>"), "the first prompt");
            return session;
        }

        public async Task WaitAsync(Task condition, string what)
        {
            try
            {
                await condition.WaitAsync(Patience);
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException($"No {what} within {Patience.TotalSeconds} s. The screen:\n{Screen.Screen}");
            }
        }

        public async Task<int> ExitAsync() => await Run.WaitAsync(Patience);

        public async ValueTask DisposeAsync()
        {
            Keys.Close();
            await _ceiling.CancelAsync();
            try
            {
                await Run.WaitAsync(Patience);
            }
            catch (OperationCanceledException)
            {
            }
            await _channel.DisposeAsync();
            await _link.DisposeAsync();
            _ceiling.Dispose();
            Keys.Dispose();
        }
    }

    [Fact]
    public async Task At_a_keyboard_there_is_a_prompt_and_the_typed_line_is_shown_once_not_again_as_the_echo()
    {
        await using var host = await StartEmulatorAsync();
        await using var session = await Session.StartAsync(host);
        Assert.True(session.Keys.Started);
        session.Keys.Type("AT+GMR\r");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("OK"), "OK");
        await session.WaitAsync(session.Screen.WaitForCursorLineAsync("AT>"), "prompt after the reply");
        var rows = session.Screen.Rows;
        Assert.Equal(1, rows.Count(r => r.Contains("AT+GMR", StringComparison.Ordinal)));
        Assert.Contains("AT> AT+GMR", rows);
        Assert.Contains("AT version:1.7.4.0(May 11 2020 19:13:04)", rows);
        session.Keys.Type("\x04");
        Assert.Equal(0, await session.ExitAsync());
    }

    [Fact]
    public async Task With_echo_off_the_line_is_still_shown_once_and_a_reply_that_starts_like_it_is_whole()
    {
        await using var host = await StartEmulatorAsync();
        await using var session = await Session.StartAsync(host);
        session.Keys.Type("ATE0\r");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("OK"), "OK to ATE0");
        session.Keys.Type("AT+GMR\r");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("OK", 2), "OK to AT+GMR");
        var rows = session.Screen.Rows;
        Assert.Equal(1, rows.Count(r => r.Contains("ATE0", StringComparison.Ordinal))); // its echo (echo was still on) hidden
        Assert.Equal(1, rows.Count(r => r.Contains("AT+GMR", StringComparison.Ordinal)));
        Assert.Contains("AT version:1.7.4.0(May 11 2020 19:13:04)", rows); // begins with "AT" like the command
        Assert.Contains("SDK version:3.0.4(9532ceb)", rows);
    }

    [Fact]
    public async Task Output_while_typing_goes_above_the_line_and_a_line_typed_at_data_goes_out_raw()
    {
        await using var host = await StartEmulatorAsync();
        Assert.Equal(0, (await RunAsync("wifi", "join", "iptime", "admin", "--port", host.Modules[0].PortString)).Exit);
        await using var session = await Session.StartAsync(host);
        session.Keys.Type("AT+CIPMUX=1\r");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("OK"), "OK to AT+CIPMUX=1");
        session.Keys.Type("AT+CIPSERVER=1,333\r");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("OK", 2), "OK to AT+CIPSERVER");
        var endpoint = host.Modules[0].Module.ServerEndpoint!;

        // Half a command typed, cursor moved into it; then a client connects and sends while the user types.
        session.Keys.Type("AT+GMx\x1b[D");
        await session.WaitAsync(session.Screen.WaitForCursorLineAsync("AT> AT+GMx"), "the half-typed line");
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        await client.GetStream().WriteAsync("hello"u8.ToArray());
        await session.WaitAsync(session.Screen.WaitForRowsAsync("+IPD,0,5:hello"), "the +IPD line");
        var rows = session.Screen.Rows;
        Assert.Equal("AT> AT+GMx", rows[^1]);
        Assert.Equal((rows.Count - 1, 9), (session.Screen.Screen.CursorRow, session.Screen.Screen.CursorColumn));
        Assert.True(rows.ToList().IndexOf("0,CONNECT") < rows.ToList().IndexOf("+IPD,0,5:hello"), session.Screen.Screen.ToString());

        // The line is still the user's: the edit goes where the cursor was, and the module gets the whole command.
        session.Keys.Type("R\x1b[3~\r");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("AT version:1.7.4.0(May 11 2020 19:13:04)"), "AT+GMR's reply");
        Assert.Contains("AT> AT+GMR", session.Screen.Rows);

        session.Keys.Type("AT+CIPSEND=0,5\r");
        await session.WaitAsync(session.Screen.WaitForCursorLineAsync("data>"), "the data prompt");
        session.Keys.Type("world\r");
        var received = new byte[5];
        await client.GetStream().ReadExactlyAsync(received).AsTask().WaitAsync(Patience);
        Assert.Equal("world"u8.ToArray(), received);
        await session.WaitAsync(session.Screen.WaitForRowsAsync("SEND OK"), "SEND OK");
        await session.WaitAsync(session.Screen.WaitForCursorLineAsync("AT>"), "the command prompt again");
        Assert.Contains("data> world", session.Screen.Rows);
    }

    [Fact]
    public async Task A_pasted_block_goes_out_a_line_per_reply_so_a_line_after_a_join_is_not_answered_busy()
    {
        await using var host = await StartEmulatorAsync();
        await using var session = await Session.StartAsync(host);
        // Four lines at once, as a paste arrives: the join runs long on the module, and the module answers busy p...
        // to a line that comes before the join's OK; "exit" at the end lets the terminal go once the rest is answered.
        session.Keys.Type("AT+CWJAP=\"iptime\",\"admin\"\rAT+CIFSR\rAT+CIPSTART=\"UDP\",\"127.0.0.1\",9\rexit\r");
        Assert.Equal(0, await session.ExitAsync());
        var rows = session.Screen.Rows;
        Assert.DoesNotContain(rows, r => r.Contains("busy", StringComparison.Ordinal));
        Assert.Contains("WIFI GOT IP", rows);
        Assert.Contains(rows, r => r.StartsWith("+CIFSR:STAIP,\"192.168.", StringComparison.Ordinal));
        Assert.True(rows.ToList().IndexOf("WIFI GOT IP") < rows.ToList().FindIndex(r => r.StartsWith("+CIFSR:STAIP", StringComparison.Ordinal)), session.Screen.Screen.ToString());
        Assert.Contains("CONNECT", rows); // the third line's reply came before exit let the terminal go
    }

    [Fact]
    public async Task Ctrl_C_drops_the_line_unsent_and_on_an_empty_line_quits_with_0()
    {
        await using var host = await StartEmulatorAsync();
        await using var session = await Session.StartAsync(host);
        session.Keys.Type("AT+JUNK\x03");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("AT> AT+JUNK^C"), "the dropped line");
        session.Keys.Type("AT\r");
        await session.WaitAsync(session.Screen.WaitForRowsAsync("OK"), "OK to AT");
        Assert.DoesNotContain("ERROR", session.Screen.Rows); // AT+JUNK never reached the module
        session.Keys.Type("\x03");
        Assert.Equal(0, await session.ExitAsync());
    }

    [Fact]
    public async Task When_the_device_goes_away_mid_line_the_line_stays_and_the_terminal_says_so_and_exits_1()
    {
        var host = await StartEmulatorAsync();
        await using var session = await Session.StartAsync(host);
        session.Keys.Type("AT+GM");
        await session.WaitAsync(session.Screen.WaitForCursorLineAsync("AT> AT+GM"), "the half-typed line");
        await host.DisposeAsync(); // the cable is pulled
        Assert.Equal(1, await session.ExitAsync());
        var rows = session.Screen.Rows;
        var line = rows.ToList().IndexOf("AT> AT+GM");
        Assert.True(line >= 0, session.Screen.Screen.ToString());
        Assert.StartsWith("espwire at: the device went away", rows[line + 1], StringComparison.Ordinal);
        Assert.StartsWith("  next:", rows[line + 2], StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.Contains("Broken pipe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_recalls_a_line_typed_in_an_earlier_session()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-history-");
        try
        {
            var history = new TerminalHistory(Path.Combine(dir.FullName, "espwire", "at_history"));
            await using var host = await StartEmulatorAsync();
            await using (var first = await Session.StartAsync(host, history))
            {
                first.Keys.Type("AT+CWMODE?\r");
                await first.WaitAsync(first.Screen.WaitForRowsAsync("OK"), "OK to AT+CWMODE?");
                first.Keys.Type("\x04");
                Assert.Equal(0, await first.ExitAsync());
            }
            await using var second = await Session.StartAsync(host, history);
            second.Keys.Type("\x1b[A");
            await second.WaitAsync(second.Screen.WaitForCursorLineAsync("AT> AT+CWMODE?"), "the recalled line");
            second.Keys.Type("\r");
            await second.WaitAsync(second.Screen.WaitForRowsAsync("OK"), "OK to the recalled AT+CWMODE?");
            Assert.Contains(second.Screen.Rows, r => r.StartsWith("+CWMODE:", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
