namespace Espwire.Cli.At;

/// <summary>
/// The one writer of the terminal at a keyboard: what the module says and the line being typed take turns under
/// one lock, so module output never lands in the middle of the line. Output that arrives while the user types
/// erases the prompt and the line, is printed, and the prompt, the line and the cursor are drawn again under it.
/// After the module's <c>&gt;</c> the prompt is <see cref="DataPrompt"/>: the next line goes out raw.
/// </summary>
internal sealed class TerminalScreen
{
    public const string CommandPrompt = "AT> ";
    public const string DataPrompt = "data> ";

    private readonly object _gate = new();
    private readonly TextWriter _output;
    private readonly LineEditor _editor;
    private bool _data;
    private bool _closed;

    public TerminalScreen(TextWriter output, IReadOnlyList<string> history, Func<int> width)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _editor = new LineEditor(output, history, width) { Prompt = CommandPrompt };
    }

    /// <summary>Prints <paramref name="text"/> above the line being typed. <paramref name="dataPrompt"/>: true after the
    /// module's <c>&gt;</c> (the next line is data), false when the module restarted (it waits for data no more).</summary>
    public void Print(string text, bool? dataPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            var shown = _editor.Shown;
            var promptChanges = dataPrompt is { } data && data != _data;
            if (shown && (text.Length > 0 || promptChanges)) _editor.Hide();
            if (promptChanges)
            {
                _data = dataPrompt!.Value;
                _editor.Prompt = _data ? DataPrompt : CommandPrompt;
            }
            if (text.Length > 0)
            {
                _output.Write(text);
                _output.Flush();
            }
            if (shown && !_closed) _editor.Show();
        }
    }

    /// <summary>Draws the prompt (with what was typed ahead) unless it is on the screen already.</summary>
    public void ShowPrompt()
    {
        lock (_gate)
        {
            if (_closed || _editor.Shown) return;
            _editor.Prompt = _data ? DataPrompt : CommandPrompt;
            _editor.Show();
        }
    }

    /// <summary>Gives a key to the editor. <c>Data</c>: the line was typed at <see cref="DataPrompt"/> (send it raw).</summary>
    public (EditResult Result, bool Data) Handle(ConsoleKeyInfo key)
    {
        lock (_gate)
        {
            if (!_editor.Shown && !_closed)
            {
                _editor.Prompt = _data ? DataPrompt : CommandPrompt;
                _editor.Show();
            }
            var result = _editor.Handle(key);
            // An empty line at data> sends nothing: the module still waits for its bytes.
            if (result.Outcome != EditOutcome.Line || !_data || result.Line!.Length == 0) return (result, false);
            _data = false;
            return (result, true);
        }
    }

    /// <summary>No more prompts: an empty line is erased, a half-typed one is left as it was.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            if (_editor.Text.Length == 0) _editor.Hide();
            else _editor.Leave();
        }
    }
}
