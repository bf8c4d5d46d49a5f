using System.Globalization;
using System.Text;

namespace Espwire.Cli.At;

internal enum EditOutcome
{
    /// <summary>The key was taken; the line is still being edited.</summary>
    Editing,

    /// <summary>Enter: <see cref="EditResult.Line"/> is the line.</summary>
    Line,

    /// <summary>Ctrl+C on a line with text: the line is dropped (shown with ^C).</summary>
    Cancelled,

    /// <summary>Ctrl+D or Ctrl+C on an empty line: the user wants to leave.</summary>
    Quit,
}

internal readonly record struct EditResult(EditOutcome Outcome, string? Line = null)
{
    public static EditResult Editing => new(EditOutcome.Editing);
}

/// <summary>
/// The terminal's line editor, with no console in it: key presses in (<see cref="Handle"/>), the line
/// (<see cref="Text"/>, <see cref="Cursor"/>) and VT100 output to a writer out, so tests can feed keys and read the
/// exact bytes. Draws the prompt and the line from column 0 and keeps track of the row the cursor is on, so a line
/// that wraps is erased and redrawn whole (<see cref="Hide"/>, <see cref="Show"/>) around output that arrives while
/// the user types. Keys: Left/Right, Home/End (Ctrl+A/Ctrl+E), Backspace, Delete, Ctrl+U (to the start), Ctrl+W
/// (the word before the cursor), Ctrl+K (to the end), Up/Down (Ctrl+P/Ctrl+N) through the history, Ctrl+L (clear the
/// screen), Ctrl+C (cancel the line, or quit on an empty one), Ctrl+D (quit on an empty line, else Delete).
/// A line holds at most <see cref="MaxLength"/> characters: past that a key rings the bell and is refused.
/// Not thread-safe: one caller (the terminal's screen lock) at a time.
/// </summary>
internal sealed class LineEditor
{
    public const int DefaultMaxLength = 2048;
    public const string Bell = "\a";

    private readonly TextWriter _screen;
    private readonly IReadOnlyList<string> _history;
    private readonly Func<int> _width;
    private readonly StringBuilder _line = new();
    private int _cursor;
    // Where Up/Down stand in the history: -1 when not browsing (the line is the user's own draft).
    private int _historyIndex = -1;
    private string _draft = "";
    // While shown: the screen row the terminal's cursor is on, counted from the prompt's row.
    private int _cursorRow;

    /// <param name="screen">Where the prompt and the line are drawn.</param>
    /// <param name="history">The lines Up and Down recall, oldest first; read live (the terminal adds to it).</param>
    /// <param name="width">The terminal's width in columns, asked at each redraw (it can change).</param>
    public LineEditor(TextWriter screen, IReadOnlyList<string> history, Func<int>? width = null, int maxLength = DefaultMaxLength)
    {
        _screen = screen ?? throw new ArgumentNullException(nameof(screen));
        _history = history ?? throw new ArgumentNullException(nameof(history));
        _width = width ?? (() => 80);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        MaxLength = maxLength;
    }

    public int MaxLength { get; }

    /// <summary>Drawn before the line; change it while hidden, or call <see cref="Show"/> after <see cref="Hide"/>.</summary>
    public string Prompt { get; set; } = "AT> ";

    public string Text => _line.ToString();

    /// <summary>The cursor's place in <see cref="Text"/>, 0 to its length.</summary>
    public int Cursor => _cursor;

    /// <summary>Whether the prompt and the line are on the screen now.</summary>
    public bool Shown { get; private set; }

    private int Width
    {
        get
        {
            var width = _width();
            return width > 0 ? width : 80;
        }
    }

    /// <summary>Draws the prompt and the line, from column 0 of the cursor's row.</summary>
    public void Show()
    {
        if (Shown) return;
        var sb = new StringBuilder();
        Draw(sb);
        Write(sb);
    }

    /// <summary>Erases the prompt and the line (every row they take); the cursor ends at column 0 of the prompt's row.</summary>
    public void Hide()
    {
        if (!Shown) return;
        var sb = new StringBuilder();
        Erase(sb);
        Write(sb);
    }

    /// <summary>Leaves the prompt and the line on the screen as they are and moves below them (the device went away).</summary>
    public void Leave()
    {
        if (!Shown) return;
        var sb = new StringBuilder();
        EndLine(sb);
        Write(sb);
    }

    public EditResult Handle(ConsoleKeyInfo key)
    {
        var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        var alt = (key.Modifiers & ConsoleModifiers.Alt) != 0;
        var c = key.KeyChar;
        // A character: plain, shifted, or AltGr (Windows reports it as Ctrl+Alt). Alt+letter alone is no character.
        if (c != '\0' && !char.IsControl(c) && control == alt)
        {
            Insert(c);
            return EditResult.Editing;
        }
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Finish(EditOutcome.Line, "");
            case ConsoleKey.Backspace:
                DeleteBefore();
                break;
            case ConsoleKey.Delete:
                DeleteAt();
                break;
            case ConsoleKey.LeftArrow:
                MoveTo(_cursor - 1);
                break;
            case ConsoleKey.RightArrow:
                MoveTo(_cursor + 1);
                break;
            case ConsoleKey.Home:
                MoveTo(0);
                break;
            case ConsoleKey.End:
                MoveTo(_line.Length);
                break;
            case ConsoleKey.UpArrow:
                Recall(-1);
                break;
            case ConsoleKey.DownArrow:
                Recall(+1);
                break;
            default:
                if (control) return Control(key.Key);
                break;
        }
        return EditResult.Editing;
    }

    private EditResult Control(ConsoleKey key)
    {
        switch (key)
        {
            case ConsoleKey.A:
                MoveTo(0);
                break;
            case ConsoleKey.E:
                MoveTo(_line.Length);
                break;
            case ConsoleKey.B:
                MoveTo(_cursor - 1);
                break;
            case ConsoleKey.F:
                MoveTo(_cursor + 1);
                break;
            case ConsoleKey.H:
                DeleteBefore();
                break;
            case ConsoleKey.U:
                Remove(0, _cursor);
                break;
            case ConsoleKey.K:
                Remove(_cursor, _line.Length - _cursor);
                break;
            case ConsoleKey.W:
                Remove(WordStart(), _cursor - WordStart());
                break;
            case ConsoleKey.P:
                Recall(-1);
                break;
            case ConsoleKey.N:
                Recall(+1);
                break;
            case ConsoleKey.L:
                ClearScreen();
                break;
            case ConsoleKey.C:
                return _line.Length == 0 ? Finish(EditOutcome.Quit, "") : Finish(EditOutcome.Cancelled, "^C");
            case ConsoleKey.D:
                if (_line.Length == 0) return Finish(EditOutcome.Quit, "");
                DeleteAt();
                break;
            case ConsoleKey.M or ConsoleKey.J:
                return Finish(EditOutcome.Line, "");
        }
        return EditResult.Editing;
    }

    private void Insert(char c)
    {
        if (_line.Length >= MaxLength)
        {
            _screen.Write(Bell);
            _screen.Flush();
            return;
        }
        if (_cursor == _line.Length && Shown)
        {
            // Typing at the end: just the character (and the move to the next row when it filled this one).
            _line.Append(c);
            _cursor++;
            var end = Prompt.Length + _line.Length;
            _screen.Write(end % Width == 0 ? c + "\r\n" : c.ToString());
            _screen.Flush();
            _cursorRow = end / Width;
            return;
        }
        _line.Insert(_cursor++, c);
        Redraw();
    }

    private void DeleteBefore()
    {
        if (_cursor == 0) return;
        Remove(_cursor - 1, 1);
    }

    private void DeleteAt()
    {
        if (_cursor == _line.Length) return;
        _line.Remove(_cursor, 1);
        Redraw();
    }

    private void Remove(int start, int count)
    {
        if (count <= 0) return;
        _line.Remove(start, count);
        _cursor = start;
        Redraw();
    }

    // Ctrl+W: the letters and digits before the cursor, with the punctuation between them and the cursor, so
    // AT+CWJAP="home","secret" loses secret" and then home"," (the whole line would be one shell word).
    private int WordStart()
    {
        var i = _cursor;
        while (i > 0 && !IsWordChar(_line[i - 1])) i--;
        while (i > 0 && IsWordChar(_line[i - 1])) i--;
        return i;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private void MoveTo(int target)
    {
        target = Math.Clamp(target, 0, _line.Length);
        if (target == _cursor) return;
        _cursor = target;
        if (!Shown)
        {
            Redraw();
            return;
        }
        var sb = new StringBuilder();
        Place(sb, _cursorRow);
        Write(sb);
    }

    private void Recall(int direction)
    {
        if (_history.Count == 0) return;
        var at = _historyIndex < 0 ? _history.Count : _historyIndex;
        var next = at + direction;
        if (next < 0 || next > _history.Count) return;
        if (at == _history.Count) _draft = _line.ToString();
        _historyIndex = next == _history.Count ? -1 : next;
        var text = next == _history.Count ? _draft : _history[next];
        _line.Clear().Append(text.Length > MaxLength ? text[..MaxLength] : text);
        _cursor = _line.Length;
        Redraw();
    }

    private void ClearScreen()
    {
        var sb = new StringBuilder("\x1b[H\x1b[2J");
        Draw(sb);
        Write(sb);
    }

    // Enter, ^C, Ctrl+D: the line stays on the screen as typed (with its mark) and the cursor goes below it.
    private EditResult Finish(EditOutcome outcome, string mark)
    {
        var sb = new StringBuilder();
        if (!Shown) Draw(sb);
        if (mark.Length > 0)
        {
            _cursor = _line.Length;
            Place(sb, _cursorRow);
            sb.Append(mark).Append("\r\n");
            _cursorRow = 0;
            Shown = false;
        }
        else
        {
            EndLine(sb);
        }
        Write(sb);
        var line = _line.ToString();
        _line.Clear();
        _cursor = 0;
        _historyIndex = -1;
        _draft = "";
        return new EditResult(outcome, outcome == EditOutcome.Line ? line : null);
    }

    private void EndLine(StringBuilder sb)
    {
        var width = Width;
        var end = Prompt.Length + _line.Length;
        var endRow = end / width;
        if (endRow > _cursorRow) sb.Append(CultureInfo.InvariantCulture, $"\x1b[{endRow - _cursorRow}B");
        // A line that exactly fills its last row is already followed by a fresh row (see Draw): go to its start.
        sb.Append(end > 0 && end % width == 0 ? "\r" : "\r\n");
        _cursorRow = 0;
        Shown = false;
    }

    private void Redraw()
    {
        var sb = new StringBuilder();
        if (Shown) Erase(sb);
        Draw(sb);
        Write(sb);
    }

    private void Erase(StringBuilder sb)
    {
        if (_cursorRow > 0) sb.Append(CultureInfo.InvariantCulture, $"\x1b[{_cursorRow}A");
        sb.Append("\r\x1b[J");
        _cursorRow = 0;
        Shown = false;
    }

    // From column 0 of the prompt's row. When the text exactly fills its last row the terminal's cursor waits in the
    // last column; a CR LF puts it on the next row for real, so the row counts hold on every terminal.
    private void Draw(StringBuilder sb)
    {
        var width = Width;
        sb.Append(Prompt).Append(_line);
        var end = Prompt.Length + _line.Length;
        if (end > 0 && end % width == 0) sb.Append("\r\n");
        Shown = true;
        _cursorRow = end / width;
        if (_cursor != _line.Length) Place(sb, _cursorRow);
    }

    // Moves the terminal's cursor from row fromRow (any column) to where _cursor is.
    private void Place(StringBuilder sb, int fromRow)
    {
        var width = Width;
        var target = Prompt.Length + _cursor;
        var row = target / width;
        var column = target % width;
        if (row < fromRow) sb.Append(CultureInfo.InvariantCulture, $"\x1b[{fromRow - row}A");
        else if (row > fromRow) sb.Append(CultureInfo.InvariantCulture, $"\x1b[{row - fromRow}B");
        sb.Append('\r');
        if (column > 0) sb.Append(CultureInfo.InvariantCulture, $"\x1b[{column}C");
        _cursorRow = row;
    }

    private void Write(StringBuilder sb)
    {
        if (sb.Length == 0) return;
        _screen.Write(sb.ToString());
        _screen.Flush();
    }
}
