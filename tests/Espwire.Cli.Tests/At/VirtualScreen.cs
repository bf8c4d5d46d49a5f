using System.Globalization;
using System.Text;

namespace Espwire.Cli.Tests.At;

/// <summary>
/// What a VT100/xterm screen shows after the bytes written to it: text with autowrap at <see cref="Width"/> (the
/// cursor waits in the last column until the next character), CR, LF (down only, as a real terminal: the tty adds
/// the CR), BS, BEL (counted), and the CSI sequences a line editor uses: cursor up/down/forward/back (A B C D),
/// erase in line (K) and in display (J), home (H). Other sequences (keypad modes, colours) change nothing. The
/// screen keeps every row (a transcript that scrolls without losing any), so tests can read everything printed.
/// </summary>
internal sealed class VirtualScreen(int width)
{
    private readonly List<StringBuilder> _rows = [new()];
    private readonly StringBuilder _sequence = new();
    private int _row;
    private int _column;
    private bool _pendingWrap;
    private Mode _mode;

    private enum Mode { Text, Escape, Csi, Osc }

    public int Width { get; } = width;

    public int Bells { get; private set; }

    public int CursorRow => _row;

    public int CursorColumn => _column;

    /// <summary>Every row, without trailing blanks; empty rows at the end left out.</summary>
    public IReadOnlyList<string> Rows
    {
        get
        {
            var rows = _rows.Select(r => r.ToString().TrimEnd()).ToList();
            while (rows.Count > 0 && rows[^1].Length == 0) rows.RemoveAt(rows.Count - 1);
            return rows;
        }
    }

    /// <summary>The row the cursor is on, without trailing blanks.</summary>
    public string CursorLine => _rows[_row].ToString().TrimEnd();

    public override string ToString() => string.Join('\n', Rows);

    public void Feed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text) Step(c);
    }

    private void Step(char c)
    {
        switch (_mode)
        {
            case Mode.Escape:
                _mode = c switch { '[' => Mode.Csi, ']' => Mode.Osc, _ => Mode.Text };
                _sequence.Clear();
                return;
            case Mode.Csi:
                if (c is >= '@' and <= '~')
                {
                    _mode = Mode.Text;
                    Csi(_sequence.ToString(), c);
                }
                else
                {
                    _sequence.Append(c);
                }
                return;
            case Mode.Osc:
                if (c == '\a') _mode = Mode.Text;
                return;
        }
        switch (c)
        {
            case '\x1b':
                _mode = Mode.Escape;
                break;
            case '\r':
                _column = 0;
                _pendingWrap = false;
                break;
            case '\n':
                Down(1);
                _pendingWrap = false;
                break;
            case '\b':
                if (_column > 0) _column--;
                _pendingWrap = false;
                break;
            case '\a':
                Bells++;
                break;
            default:
                if (char.IsControl(c)) break;
                if (_pendingWrap)
                {
                    Down(1);
                    _column = 0;
                    _pendingWrap = false;
                }
                Put(c);
                if (_column == Width - 1) _pendingWrap = true;
                else _column++;
                break;
        }
    }

    private void Put(char c)
    {
        var row = _rows[_row];
        while (row.Length <= _column) row.Append(' ');
        row[_column] = c;
    }

    private void Down(int n)
    {
        _row += n;
        while (_rows.Count <= _row) _rows.Add(new StringBuilder());
    }

    private void Csi(string parameters, char final)
    {
        if (parameters.StartsWith('?')) return; // private modes (keypad, cursor visibility)
        var first = parameters.Split(';')[0];
        var n = int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        _pendingWrap = false;
        switch (final)
        {
            case 'A':
                _row = Math.Max(0, _row - Math.Max(1, n));
                break;
            case 'B':
                Down(Math.Max(1, n));
                break;
            case 'C':
                _column = Math.Min(Width - 1, _column + Math.Max(1, n));
                break;
            case 'D':
                _column = Math.Max(0, _column - Math.Max(1, n));
                break;
            case 'H':
                _row = 0;
                _column = 0;
                break;
            case 'K':
                var line = _rows[_row];
                if (n == 0 && line.Length > _column) line.Length = _column;
                else if (n == 2) line.Clear();
                break;
            case 'J':
                if (n == 2)
                {
                    foreach (var r in _rows) r.Clear();
                    break;
                }
                if (_rows[_row].Length > _column) _rows[_row].Length = _column;
                for (var i = _row + 1; i < _rows.Count; i++) _rows[i].Clear();
                break;
        }
    }
}
