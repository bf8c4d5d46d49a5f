using System.Globalization;
using System.Text;

namespace Espwire.Cli.At;

/// <summary>
/// Turns the bytes a terminal sends for key presses (stdin in raw mode) into <see cref="ConsoleKeyInfo"/>s, as
/// <see cref="Console.ReadKey(bool)"/> reports them on Windows: UTF-8 text, Ctrl+letter as the control byte with
/// <see cref="ConsoleModifiers.Control"/>, and the VT100/xterm sequences for the arrows, Home, End and Delete in both
/// their CSI (<c>ESC [ A</c>, <c>ESC [ 1 ~</c>) and SS3 (<c>ESC O A</c>, application mode) forms. Needs no terminfo.
/// Feed it bytes in any fragments; <see cref="Flush"/> ends a lone Escape after a pause. Unknown sequences are
/// dropped whole, and a sequence longer than any real one is dropped without being kept (bounded).
/// </summary>
internal sealed class KeyDecoder
{
    private const int MaxParameters = 16;
    private const byte Esc = 0x1b;

    private readonly Decoder _utf8 = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _parameters = new();
    private readonly char[] _chars = new char[2];
    private State _state;
    private bool _afterCr;

    private enum State { Text, Escape, Csi, Ss3 }

    /// <summary>True while the bytes so far may be the start of a longer sequence (after ESC).</summary>
    public bool Pending => _state != State.Text;

    public List<ConsoleKeyInfo> Feed(ReadOnlySpan<byte> bytes)
    {
        var keys = new List<ConsoleKeyInfo>();
        Feed(bytes, keys);
        return keys;
    }

    public void Feed(ReadOnlySpan<byte> bytes, List<ConsoleKeyInfo> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var b in bytes) Step(b, keys);
    }

    /// <summary>No more bytes came after an ESC: it was the Escape key. A cut sequence is dropped.</summary>
    public void Flush(List<ConsoleKeyInfo> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (_state == State.Escape) keys.Add(new ConsoleKeyInfo('\x1b', ConsoleKey.Escape, false, false, false));
        _state = State.Text;
        _parameters.Clear();
    }

    private void Step(byte b, List<ConsoleKeyInfo> keys)
    {
        switch (_state)
        {
            case State.Escape:
                if (b == (byte)'[')
                {
                    _state = State.Csi;
                    _parameters.Clear();
                }
                else if (b == (byte)'O')
                {
                    _state = State.Ss3;
                }
                else if (b == Esc)
                {
                    keys.Add(new ConsoleKeyInfo('\x1b', ConsoleKey.Escape, false, false, false));
                }
                else if (b is >= 0x20 and < 0x7f)
                {
                    // Alt+key (a terminal sends ESC before the key).
                    _state = State.Text;
                    keys.Add(new ConsoleKeyInfo((char)b, KeyOf((char)b), char.IsUpper((char)b), true, false));
                }
                else if (b == 0x7f)
                {
                    _state = State.Text;
                    keys.Add(new ConsoleKeyInfo('\b', ConsoleKey.Backspace, false, true, false));
                }
                else
                {
                    _state = State.Text;
                    keys.Add(new ConsoleKeyInfo('\x1b', ConsoleKey.Escape, false, false, false));
                    Step(b, keys);
                }
                return;
            case State.Csi:
                if (b is >= 0x40 and <= 0x7e)
                {
                    _state = State.Text;
                    if (_parameters.Length <= MaxParameters && Csi(_parameters.ToString(), (char)b) is { } key) keys.Add(key);
                    _parameters.Clear();
                }
                else if (b is >= 0x20 and <= 0x3f)
                {
                    // Past the limit: counted, not kept, and the whole sequence is dropped at its final byte.
                    if (_parameters.Length <= MaxParameters) _parameters.Append((char)b);
                }
                else
                {
                    // A control byte cannot be inside a sequence: the sequence was cut; take the byte as itself.
                    _state = State.Text;
                    _parameters.Clear();
                    Step(b, keys);
                }
                return;
            case State.Ss3:
                _state = State.Text;
                if (b is >= 0x40 and <= 0x7e)
                {
                    if (Final((char)b, ConsoleModifiers.None) is { } key) keys.Add(key);
                }
                else
                {
                    Step(b, keys);
                }
                return;
        }

        // Enter sends CR (raw mode); pasted text may bring LF or CR LF: each line end is one Enter.
        var afterCr = _afterCr;
        _afterCr = b == (byte)'\r';
        if (b == (byte)'\n' && afterCr) return;
        if (b < 0x20 || b == 0x7f)
        {
            _utf8.Reset(); // a control byte ends any half-received UTF-8 character
            switch (b)
            {
                case Esc:
                    _state = State.Escape;
                    break;
                case (byte)'\r' or (byte)'\n':
                    keys.Add(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false));
                    break;
                case 0x7f or 0x08:
                    keys.Add(new ConsoleKeyInfo('\b', ConsoleKey.Backspace, false, false, false));
                    break;
                case (byte)'\t':
                    keys.Add(new ConsoleKeyInfo('\t', ConsoleKey.Tab, false, false, false));
                    break;
                case >= 0x01 and <= 0x1a:
                    keys.Add(new ConsoleKeyInfo((char)b, ConsoleKey.A + (b - 1), false, false, true));
                    break;
            }
            return;
        }
        var n = _utf8.GetChars([b], 0, 1, _chars, 0, flush: false);
        for (var i = 0; i < n; i++)
            keys.Add(new ConsoleKeyInfo(_chars[i], KeyOf(_chars[i]), char.IsUpper(_chars[i]), false, false));
    }

    // ESC [ params final: xterm's "1;5C" is Ctrl+Right (modifier 1 + shift 1, alt 2, ctrl 4); "3~" Delete, "1~"/"7~"
    // Home, "4~"/"8~" End (VT220, rxvt, the Linux console).
    private static ConsoleKeyInfo? Csi(string parameters, char final)
    {
        var fields = parameters.Split(';');
        var modifiers = ConsoleModifiers.None;
        if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 2 and <= 16)
        {
            var bits = m - 1;
            if ((bits & 1) != 0) modifiers |= ConsoleModifiers.Shift;
            if ((bits & 2) != 0) modifiers |= ConsoleModifiers.Alt;
            if ((bits & 4) != 0) modifiers |= ConsoleModifiers.Control;
        }
        if (final != '~') return Final(final, modifiers);
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return null;
        var key = code switch
        {
            1 or 7 => ConsoleKey.Home,
            4 or 8 => ConsoleKey.End,
            3 => ConsoleKey.Delete,
            2 => ConsoleKey.Insert,
            5 => ConsoleKey.PageUp,
            6 => ConsoleKey.PageDown,
            _ => (ConsoleKey?)null, // F5..F12, bracketed-paste markers: nothing the editor does
        };
        return key is { } k ? Special(k, modifiers) : null;
    }

    private static ConsoleKeyInfo? Final(char final, ConsoleModifiers modifiers) => final switch
    {
        'A' => Special(ConsoleKey.UpArrow, modifiers),
        'B' => Special(ConsoleKey.DownArrow, modifiers),
        'C' => Special(ConsoleKey.RightArrow, modifiers),
        'D' => Special(ConsoleKey.LeftArrow, modifiers),
        'H' => Special(ConsoleKey.Home, modifiers),
        'F' => Special(ConsoleKey.End, modifiers),
        _ => null,
    };

    private static ConsoleKeyInfo Special(ConsoleKey key, ConsoleModifiers modifiers)
        => new('\0', key, (modifiers & ConsoleModifiers.Shift) != 0, (modifiers & ConsoleModifiers.Alt) != 0, (modifiers & ConsoleModifiers.Control) != 0);

    private static ConsoleKey KeyOf(char c) => c switch
    {
        >= 'a' and <= 'z' => ConsoleKey.A + (c - 'a'),
        >= 'A' and <= 'Z' => ConsoleKey.A + (c - 'A'),
        >= '0' and <= '9' => ConsoleKey.D0 + (c - '0'),
        ' ' => ConsoleKey.Spacebar,
        _ => 0,
    };
}
