using System.Text;
using Espwire.Cli.At;

namespace Espwire.Cli.Tests.At;

/// <summary>The line editor fed the bytes of key presses: its line, its cursor, the exact bytes it writes and
/// what a terminal shows after them.</summary>
public class LineEditorTests
{
    private sealed class Rig
    {
        private readonly KeyDecoder _decoder = new();

        public Rig(int width = 80, int maxLength = LineEditor.DefaultMaxLength, params string[] history)
        {
            Out = new ScreenWriter(width);
            History = [.. history];
            Editor = new LineEditor(Out, History, () => width, maxLength);
            Editor.Show();
        }

        public ScreenWriter Out { get; }

        public List<string> History { get; }

        public LineEditor Editor { get; }

        public VirtualScreen Screen => Out.Screen;

        /// <summary>Types the bytes; returns the result of the last key.</summary>
        public EditResult Type(string bytes)
        {
            var keys = _decoder.Feed(Encoding.UTF8.GetBytes(bytes));
            if (_decoder.Pending) _decoder.Flush(keys);
            var result = EditResult.Editing;
            foreach (var key in keys) result = Editor.Handle(key);
            return result;
        }
    }

    [Fact]
    public void The_prompt_and_each_typed_character_are_written_once()
    {
        var rig = new Rig();
        rig.Type("AT+GMR");
        Assert.Equal("AT> AT+GMR", rig.Out.Written);
        var result = rig.Type("\r");
        Assert.Equal(new EditResult(EditOutcome.Line, "AT+GMR"), result);
        Assert.Equal("AT> AT+GMR\r\n", rig.Out.Written);
        Assert.Equal(["AT> AT+GMR"], rig.Screen.Rows);
        Assert.Equal((1, 0), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
        Assert.False(rig.Editor.Shown);
        Assert.Equal("", rig.Editor.Text);
    }

    [Fact]
    public void Ctrl_U_clears_the_line_to_its_start_and_what_follows_is_the_line()
    {
        var rig = new Rig();
        rig.Type("AT+JUNK");
        rig.Out.TakeNew();
        rig.Type("\x15");
        Assert.Equal("", rig.Editor.Text);
        Assert.Equal(0, rig.Editor.Cursor);
        Assert.Equal("\r\x1b[JAT> ", rig.Out.TakeNew());
        Assert.Equal(["AT>"], rig.Screen.Rows); // the prompt alone (a screen has no trailing blanks)
        Assert.Equal("AT", rig.Type("AT\r").Line);
    }

    [Fact]
    public void Ctrl_U_in_the_middle_keeps_what_is_after_the_cursor()
    {
        var rig = new Rig();
        rig.Type("junkAT\x1b[D\x1b[D\x15");
        Assert.Equal("AT", rig.Editor.Text);
        Assert.Equal(0, rig.Editor.Cursor);
        Assert.Equal("AT> AT", rig.Screen.CursorLine);
        Assert.Equal(4, rig.Screen.CursorColumn);
    }

    [Fact]
    public void Ctrl_W_deletes_the_word_before_the_cursor_with_the_punctuation_after_it()
    {
        var rig = new Rig();
        rig.Type("AT+CWJAP=\"home\",\"secret\"");
        rig.Type("\x17");
        Assert.Equal("AT+CWJAP=\"home\",\"", rig.Editor.Text);
        Assert.Equal("AT> AT+CWJAP=\"home\",\"", rig.Screen.CursorLine);
        rig.Type("\x17");
        Assert.Equal("AT+CWJAP=\"", rig.Editor.Text);
        rig.Type("\x17");
        Assert.Equal("AT+", rig.Editor.Text);
        rig.Type("\x17");
        Assert.Equal("", rig.Editor.Text);
        rig.Type("\x17"); // nothing left: nothing happens
        Assert.Equal(["AT>"], rig.Screen.Rows); // the prompt alone (a screen has no trailing blanks)
    }

    [Fact]
    public void Ctrl_K_deletes_to_the_end_of_the_line()
    {
        var rig = new Rig();
        rig.Type("AT+GMRjunk\x1b[D\x1b[D\x1b[D\x1b[D\x0b");
        Assert.Equal("AT+GMR", rig.Editor.Text);
        Assert.Equal(6, rig.Editor.Cursor);
        Assert.Equal("AT> AT+GMR", rig.Screen.CursorLine);
    }

    [Theory]
    [InlineData("\x1b[H", "\x1b[F")]
    [InlineData("\x1bOH", "\x1bOF")]
    [InlineData("\x1b[1~", "\x1b[4~")]
    [InlineData("\x01", "\x05")]
    public void Home_and_end_move_the_cursor_and_typing_inserts_there(string home, string end)
    {
        var rig = new Rig();
        rig.Type("T+GMR");
        rig.Out.TakeNew();
        rig.Type(home);
        Assert.Equal(0, rig.Editor.Cursor);
        Assert.Equal("\r\x1b[4C", rig.Out.TakeNew()); // just the cursor: column 4, after the prompt
        rig.Type("A");
        Assert.Equal("AT+GMR", rig.Editor.Text);
        Assert.Equal(1, rig.Editor.Cursor);
        Assert.Equal("AT> AT+GMR", rig.Screen.CursorLine);
        Assert.Equal(5, rig.Screen.CursorColumn);
        rig.Type(end);
        Assert.Equal(6, rig.Editor.Cursor);
        Assert.Equal(10, rig.Screen.CursorColumn);
        Assert.Equal("AT+GMR", rig.Type("\r").Line);
    }

    [Fact]
    public void Left_right_backspace_and_delete_edit_where_the_cursor_is()
    {
        var rig = new Rig();
        rig.Type("AT+GMRX\x7f");
        Assert.Equal("AT+GMR", rig.Editor.Text);
        rig.Type("\x1b[D\x1b[D\x1b[D\x1b[3~");
        Assert.Equal("AT+MR", rig.Editor.Text);
        Assert.Equal(3, rig.Editor.Cursor);
        rig.Type("\x1b[C\x7f");
        Assert.Equal("AT+R", rig.Editor.Text);
        Assert.Equal(3, rig.Editor.Cursor);
        Assert.Equal("AT> AT+R", rig.Screen.CursorLine);
        Assert.Equal(7, rig.Screen.CursorColumn);
        rig.Type("\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x7f"); // at the start: Left and Backspace do nothing
        Assert.Equal("AT+R", rig.Editor.Text);
        Assert.Equal(0, rig.Editor.Cursor);
    }

    [Fact]
    public void Up_and_down_walk_the_history_and_come_back_to_the_draft()
    {
        var rig = new Rig(history: ["AT", "AT+GMR"]);
        rig.Type("AT+C");
        rig.Type("\x1b[A");
        Assert.Equal("AT+GMR", rig.Editor.Text);
        Assert.Equal("AT> AT+GMR", rig.Screen.CursorLine);
        rig.Type("\x1bOA");
        Assert.Equal("AT", rig.Editor.Text);
        rig.Type("\x1b[A"); // the oldest: stays
        Assert.Equal("AT", rig.Editor.Text);
        rig.Type("\x1b[B");
        Assert.Equal("AT+GMR", rig.Editor.Text);
        rig.Type("\x1b[B");
        Assert.Equal("AT+C", rig.Editor.Text);
        Assert.Equal(4, rig.Editor.Cursor);
        Assert.Equal("AT> AT+C", rig.Screen.CursorLine);
        rig.Type("\x1b[B");
        Assert.Equal("AT+C", rig.Editor.Text);
        Assert.Equal("AT+GMR", rig.Type("\x10\r").Line); // Ctrl+P is Up too
    }

    [Fact]
    public void Ctrl_C_drops_a_line_with_text_and_quits_on_an_empty_one()
    {
        var rig = new Rig();
        rig.Type("AT+JUNK");
        Assert.Equal(EditOutcome.Cancelled, rig.Type("\x03").Outcome);
        Assert.Equal("", rig.Editor.Text);
        Assert.Equal(["AT> AT+JUNK^C"], rig.Screen.Rows);
        rig.Editor.Show();
        Assert.Equal(EditOutcome.Quit, rig.Type("\x03").Outcome);
        Assert.Equal(["AT> AT+JUNK^C", "AT>"], rig.Screen.Rows);
        Assert.Equal((2, 0), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
    }

    [Fact]
    public void Ctrl_D_quits_on_an_empty_line_and_deletes_under_the_cursor_otherwise()
    {
        var rig = new Rig();
        rig.Type("AT+GMR\x01\x04");
        Assert.Equal("T+GMR", rig.Editor.Text);
        rig.Type("\x0b");
        Assert.Equal(EditOutcome.Quit, rig.Type("\x04").Outcome);
    }

    [Fact]
    public void A_line_is_bounded_and_keys_past_the_limit_ring_the_bell()
    {
        var rig = new Rig();
        rig.Type(new string('x', 3000));
        Assert.Equal(LineEditor.DefaultMaxLength, rig.Editor.Text.Length);
        Assert.Equal(3000 - LineEditor.DefaultMaxLength, rig.Screen.Bells);
        rig.Type("\x01y"); // inserting is refused too, moving is not
        Assert.Equal(0, rig.Editor.Cursor);
        Assert.Equal(new string('x', LineEditor.DefaultMaxLength), rig.Type("\r").Line);
    }

    [Fact]
    public void A_wrapped_line_is_erased_and_redrawn_whole()
    {
        var rig = new Rig(width: 20);
        rig.Type("AT+CWJAP=\"network\",\"password1\""); // 4 + 30 characters: two rows
        Assert.Equal(["AT> AT+CWJAP=\"networ", "k\",\"password1\""], rig.Screen.Rows);
        rig.Editor.Hide();
        Assert.Empty(rig.Screen.Rows);
        Assert.Equal((0, 0), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
        rig.Editor.Show();
        Assert.Equal(["AT> AT+CWJAP=\"networ", "k\",\"password1\""], rig.Screen.Rows);
        rig.Type("\x01");
        Assert.Equal((0, 4), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
        rig.Type("X");
        Assert.Equal(["AT> XAT+CWJAP=\"netwo", "rk\",\"password1\""], rig.Screen.Rows);
        Assert.Equal((0, 5), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
        rig.Type("\x0b");
        Assert.Equal(["AT> X"], rig.Screen.Rows);
    }

    [Fact]
    public void A_line_that_fills_its_row_exactly_leaves_the_cursor_on_the_next_row()
    {
        var rig = new Rig(width: 10);
        rig.Type("AT+GMR");
        Assert.Equal((1, 0), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
        rig.Type("\x7f");
        Assert.Equal(["AT> AT+GM"], rig.Screen.Rows);
        Assert.Equal((0, 9), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
        rig.Type("R\r");
        Assert.Equal(["AT> AT+GMR"], rig.Screen.Rows); // no blank row after it
        Assert.Equal((1, 0), (rig.Screen.CursorRow, rig.Screen.CursorColumn));
    }

    [Fact]
    public void Alt_and_a_letter_types_nothing_and_an_altgr_character_is_typed()
    {
        var rig = new Rig();
        rig.Editor.Handle(new ConsoleKeyInfo('b', ConsoleKey.B, false, true, false));
        Assert.Equal("", rig.Editor.Text);
        rig.Editor.Handle(new ConsoleKeyInfo('@', ConsoleKey.Q, false, true, true)); // Windows: AltGr is Ctrl+Alt
        Assert.Equal("@", rig.Editor.Text);
    }

    [Fact]
    public void Ctrl_L_clears_the_screen_and_draws_the_line_at_the_top()
    {
        var rig = new Rig();
        rig.Type("AT");
        rig.Editor.Hide();
        rig.Out.Write("old output\r\n");
        rig.Editor.Show();
        rig.Type("\x0c");
        Assert.Equal(["AT> AT"], rig.Screen.Rows);
        Assert.Equal("AT", rig.Editor.Text);
    }
}

/// <summary>The screen's one writer: module output and the line being typed never mix.</summary>
public class TerminalScreenTests
{
    private static void Type(TerminalScreen screen, string bytes)
    {
        foreach (var key in new KeyDecoder().Feed(Encoding.UTF8.GetBytes(bytes))) screen.Handle(key);
    }

    [Fact]
    public void Output_while_typing_is_printed_above_and_the_line_redrawn_with_its_cursor()
    {
        var output = new ScreenWriter();
        var screen = new TerminalScreen(output, [], () => 120);
        screen.ShowPrompt();
        Type(screen, "AT+GMR\x1b[D\x1b[D");
        output.TakeNew();
        screen.Print("WIFI CONNECTED\r\n");
        Assert.Equal("\r\x1b[JWIFI CONNECTED\r\nAT> AT+GMR\r\x1b[8C", output.TakeNew());
        Assert.Equal(["WIFI CONNECTED", "AT> AT+GMR"], output.Rows);
        Assert.Equal((1, 8), (output.Screen.CursorRow, output.Screen.CursorColumn));
    }

    [Fact]
    public void After_the_modules_prompt_the_next_line_is_typed_at_data_and_is_data()
    {
        var output = new ScreenWriter();
        var screen = new TerminalScreen(output, [], () => 120);
        screen.ShowPrompt();
        screen.Print("OK\r\n> \r\n", dataPrompt: true);
        Assert.Equal(TerminalScreen.DataPrompt, output.CursorLine + " ");
        Assert.Equal((EditOutcome.Line, false), Outcome(screen.Handle(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false))));
        screen.ShowPrompt();
        Assert.Equal("data>", output.CursorLine); // an empty line sent nothing: still data
        Type(screen, "hello");
        var (result, data) = screen.Handle(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false));
        Assert.True(data);
        Assert.Equal("hello", result.Line);
        screen.ShowPrompt();
        Assert.Equal("AT>", output.CursorLine);
    }

    private static (EditOutcome, bool) Outcome((EditResult Result, bool Data) handled) => (handled.Result.Outcome, handled.Data);

    [Fact]
    public async Task Output_and_typing_from_two_threads_never_mix_within_a_line()
    {
        const int Lines = 300;
        var output = new ScreenWriter(width: 1000);
        var screen = new TerminalScreen(output, [], () => 1000);
        screen.ShowPrompt();
        using var go = new ManualResetEventSlim();
        var module = Task.Run(() =>
        {
            go.Wait();
            for (var i = 0; i < Lines; i++) screen.Print($"+IPD,0,5:line{i}\r\n");
        });
        var typist = Task.Run(() =>
        {
            go.Wait();
            for (var i = 0; i < Lines; i++) screen.Handle(new ConsoleKeyInfo('x', ConsoleKey.X, false, false, false));
        });
        go.Set();
        await Task.WhenAll(module, typist).WaitAsync(TimeSpan.FromSeconds(60));
        var rows = output.Rows;
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => $"+IPD,0,5:line{i}"), rows.Take(Lines));
        Assert.Equal("AT> " + new string('x', Lines), Assert.Single(rows.Skip(Lines)));
    }
}
