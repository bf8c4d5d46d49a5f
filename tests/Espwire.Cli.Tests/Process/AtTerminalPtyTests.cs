using Espwire.Testing;
using Espwire.Cli.Tests.At;
using Espwire.Emulator.Hosting;

namespace Espwire.Cli.Tests.ServeProcess;

/// <summary>
/// <c>espwire at --port P</c> with no commands, run as a user runs it: the real process on a pseudo-terminal, keys
/// typed as a terminal sends them, against the emulated module behind a <see cref="WireTap"/> that records what the
/// module received. Each test waits for what the screen shows (no sleeps) and has its own config directory.
/// </summary>
public sealed class AtTerminalPtyTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("espwire-pty-");

    private Dictionary<string, string> Environment => new()
    {
        ["HOME"] = _home.FullName,
        ["XDG_CONFIG_HOME"] = Path.Combine(_home.FullName, "config"),
    };

    public void Dispose() => _home.Delete(recursive: true);

    private static async Task<(EmulatorHost Host, WireTap Tap)> StartModuleAsync()
    {
        var host = await CliHarness.StartEmulatorAsync();
        return (host, new WireTap(host.Modules[0].Endpoint!));
    }

    private PtyEspwire StartTerminal(WireTap tap) => PtyEspwire.Start(Environment, "at", "--port", tap.PortString);

    [Fact]
    public async Task At_a_terminal_there_is_a_prompt_each_line_shows_once_and_Ctrl_D_leaves_with_0_and_the_terminal_as_it_was()
    {
        var (host, tap) = await StartModuleAsync();
        await using var _ = host;
        await using var __ = tap;
        using var espwire = StartTerminal(tap);
        await espwire.WaitAsync(espwire.Screen.WaitForCursorLineAsync("AT>"), "the AT> prompt");
        Assert.Equal((false, false), espwire.TerminalModes()); // espwire reads keys: no kernel echo, no line mode

        espwire.Type("AT+GMR\r");
        await espwire.WaitAsync(espwire.Screen.WaitForRowsAsync("OK"), "OK to AT+GMR");
        await espwire.WaitAsync(espwire.Screen.WaitForCursorLineAsync("AT>"), "the prompt after the reply");
        var rows = espwire.Screen.Rows;
        Assert.Equal(["AT> AT+GMR"], rows.Where(r => r.Contains("AT+GMR", StringComparison.Ordinal)));
        Assert.Contains("AT version:1.7.4.0(May 11 2020 19:13:04)", rows);
        Assert.EndsWith("\r\nAT+GMR\r\n", tap.Sent, StringComparison.Ordinal);

        espwire.Type("\u0004");
        Assert.Equal(0, await espwire.WaitForExitAsync());
        Assert.Equal((true, true), espwire.TerminalModes()); // restored: the shell gets its terminal back as it was
    }

    [Fact]
    public async Task Ctrl_U_Ctrl_W_Home_and_End_edit_the_line_and_the_module_receives_only_the_edited_commands()
    {
        var (host, tap) = await StartModuleAsync();
        await using var _ = host;
        await using var __ = tap;
        using var espwire = StartTerminal(tap);
        await espwire.WaitAsync(espwire.Screen.WaitForCursorLineAsync("AT>"), "the AT> prompt");

        espwire.Type("AT+JUNK\u0015AT+GMR\r"); // Ctrl+U clears what was typed before it
        await espwire.WaitAsync(espwire.Screen.WaitForRowsAsync("OK"), "OK to AT+GMR");
        espwire.Type("AT+CWMODE?junk\u0017\r"); // Ctrl+W deletes the word before the cursor
        await espwire.WaitAsync(espwire.Screen.WaitForRowsAsync("OK", 2), "OK to AT+CWMODE?");
        espwire.Type("T+CIPMUX\u001b[HA\u001b[F?\r"); // Home, type at the start, End, type at the end
        await espwire.WaitAsync(espwire.Screen.WaitForRowsAsync("OK", 3), "OK to AT+CIPMUX?");
        espwire.Type("AT+RST\u0001\u000b\u001bOHAT+CWLAP\u001b[D\u001b[D\u001b[D\u001b[D\u001bOF\r"); // Ctrl+A Ctrl+K, SS3 Home/End
        await espwire.WaitAsync(espwire.Screen.WaitForRowsAsync("OK", 4), "OK to AT+CWLAP");

        // Exactly the drain's CR LF and the four edited commands: nothing typed before an edit reached the module.
        Assert.Equal("\r\nAT+GMR\r\nAT+CWMODE?\r\nAT+CIPMUX?\r\nAT+CWLAP\r\n", tap.Sent);
        var rows = espwire.Screen.Rows;
        Assert.Contains("AT> AT+GMR", rows);
        Assert.Contains("AT> AT+CWMODE?", rows);
        Assert.Contains("AT> AT+CIPMUX?", rows);
        Assert.Contains("AT> AT+CWLAP", rows);
        Assert.DoesNotContain(rows, r => r.Contains("JUNK", StringComparison.Ordinal) || r.Contains("junk", StringComparison.Ordinal));

        espwire.Type("\u0003"); // Ctrl+C on an empty line quits
        Assert.Equal(0, await espwire.WaitForExitAsync());
    }

    [Fact]
    public async Task A_command_typed_in_one_run_is_recalled_with_Up_in_the_next_from_the_users_config_directory()
    {
        var (host, tap) = await StartModuleAsync();
        await using var _ = host;
        await using var __ = tap;
        using (var first = StartTerminal(tap))
        {
            await first.WaitAsync(first.Screen.WaitForCursorLineAsync("AT>"), "the AT> prompt");
            first.Type("AT+CWMODE?\r");
            await first.WaitAsync(first.Screen.WaitForRowsAsync("OK"), "OK to AT+CWMODE?");
            first.Type("exit\r");
            Assert.Equal(0, await first.WaitForExitAsync());
        }
        var saved = Path.Combine(_home.FullName, "config", "espwire", "at_history");
        Assert.Equal(["AT+CWMODE?"], File.ReadAllLines(saved));

        using var second = StartTerminal(tap);
        await second.WaitAsync(second.Screen.WaitForCursorLineAsync("AT>"), "the AT> prompt");
        second.Type("\u001b[A");
        await second.WaitAsync(second.Screen.WaitForCursorLineAsync("AT> AT+CWMODE?"), "the recalled command");
        second.Type("\r");
        await second.WaitAsync(second.Screen.WaitForRowsAsync("OK"), "OK to the recalled AT+CWMODE?");
        Assert.Equal("\r\nAT+CWMODE?\r\n\r\nAT+CWMODE?\r\n", tap.Sent); // each run: the drain, then the command
        second.Type("\u0004");
        Assert.Equal(0, await second.WaitForExitAsync());
    }

    [Fact]
    public async Task When_the_emulator_stops_the_terminal_says_the_device_went_away_and_exits_1()
    {
        var (host, tap) = await StartModuleAsync();
        await using var __ = tap;
        using var espwire = StartTerminal(tap);
        await espwire.WaitAsync(espwire.Screen.WaitForCursorLineAsync("AT>"), "the AT> prompt");
        espwire.Type("AT\r");
        await espwire.WaitAsync(espwire.Screen.WaitForRowsAsync("OK"), "OK to AT");
        espwire.Type("AT+GM");
        await espwire.WaitAsync(espwire.Screen.WaitForCursorLineAsync("AT> AT+GM"), "the half-typed line");

        await host.DisposeAsync(); // the emulator stops: the cable is pulled
        Assert.Equal(1, await espwire.WaitForExitAsync());
        var rows = espwire.Screen.Rows.ToList();
        var line = rows.IndexOf("AT> AT+GM");
        Assert.True(line >= 0, espwire.Transcript());
        Assert.StartsWith("espwire at: the device went away", rows[line + 1], StringComparison.Ordinal);
        Assert.StartsWith("  next:", rows[line + 2], StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.Contains("Broken pipe", StringComparison.Ordinal) || r.Contains("Exception", StringComparison.Ordinal));
        Assert.Equal((true, true), espwire.TerminalModes());
    }

    [Fact]
    public async Task Stopped_with_SIGTERM_mid_line_it_exits_and_gives_the_terminal_back_in_line_mode()
    {
        var (host, tap) = await StartModuleAsync();
        await using var _ = host;
        await using var __ = tap;
        using var espwire = StartTerminal(tap);
        await espwire.WaitAsync(espwire.Screen.WaitForCursorLineAsync("AT>"), "the AT> prompt");
        espwire.Type("AT+GM");
        await espwire.WaitAsync(espwire.Screen.WaitForCursorLineAsync("AT> AT+GM"), "the half-typed line");
        Assert.Equal((false, false), espwire.TerminalModes());
        await espwire.SignalAsync("TERM");
        Assert.Equal(0, await espwire.WaitForExitAsync());
        Assert.Equal((true, true), espwire.TerminalModes());
        Assert.Equal("\r\n", tap.Sent); // the half-typed line was not sent
    }

    [Fact]
    public async Task Piped_input_prints_each_command_once_as_a_line_with_no_prompt_and_no_editing()
    {
        var (host, tap) = await StartModuleAsync();
        await using var _ = host;
        await using var __ = tap;
        using var espwire = ChildProcess.Espwire(["at", "--port", tap.PortString], Environment);
        await espwire.PipeInputAsync("AT\nAT+GMR\n");
        Assert.Equal(0, await espwire.WaitForExitAsync());
        var lines = espwire.Output;
        Assert.Equal(["> AT"], lines.Where(l => l.EndsWith("AT", StringComparison.Ordinal)));
        Assert.Equal(["> AT+GMR"], lines.Where(l => l.Contains("AT+GMR", StringComparison.Ordinal)));
        Assert.True(lines.ToList().IndexOf("> AT+GMR") < lines.ToList().IndexOf("AT version:1.7.4.0(May 11 2020 19:13:04)"), espwire.Transcript());
        Assert.DoesNotContain(lines, l => l.Contains("AT>", StringComparison.Ordinal) || l.Contains('\u001b', StringComparison.Ordinal));
        Assert.Equal("\r\nAT\r\nAT+GMR\r\n", tap.Sent);
    }
}
