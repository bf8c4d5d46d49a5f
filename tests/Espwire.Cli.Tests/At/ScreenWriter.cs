using System.Text;

namespace Espwire.Cli.Tests.At;

/// <summary>A writer that is a terminal: what is written goes to a <see cref="VirtualScreen"/> and is kept byte for
/// byte (<see cref="Written"/>, <see cref="TakeNew"/>). NewLine is CR LF, as the tty's ONLCR makes it. Thread-safe;
/// <see cref="WaitForAsync"/> completes once the text written so far contains a marker.</summary>
internal sealed class ScreenWriter : TextWriter
{
    private readonly StringBuilder _all = new();
    private readonly List<(Func<string, bool> Done, TaskCompletionSource Seen)> _waits = [];
    private int _taken;

    public ScreenWriter(int width = 120)
    {
        Screen = new VirtualScreen(width);
        NewLine = "\r\n";
    }

    public override Encoding Encoding => Encoding.UTF8;

    public VirtualScreen Screen { get; }

    public string Written
    {
        get { lock (_all) return _all.ToString(); }
    }

    /// <summary>What was written since the last call.</summary>
    public string TakeNew()
    {
        lock (_all)
        {
            var text = _all.ToString(_taken, _all.Length - _taken);
            _taken = _all.Length;
            return text;
        }
    }

    /// <summary>The screen's rows, read under the writer's lock.</summary>
    public IReadOnlyList<string> Rows
    {
        get { lock (_all) return Screen.Rows; }
    }

    public string CursorLine
    {
        get { lock (_all) return Screen.CursorLine; }
    }

    /// <summary>Completes once the row the cursor is on reads <paramref name="line"/> (trailing blanks aside).</summary>
    public Task WaitForCursorLineAsync(string line) => WaitUntilAsync(_ => Screen.CursorLine == line);

    /// <summary>Completes once <paramref name="count"/> rows read exactly <paramref name="row"/>.</summary>
    public Task WaitForRowsAsync(string row, int count = 1) => WaitUntilAsync(_ => Screen.Rows.Count(r => r == row) >= count);

    public Task WaitForAsync(string marker) => WaitUntilAsync(text => text.Contains(marker, StringComparison.Ordinal));

    /// <summary>Completes once <paramref name="done"/> holds for the screen's rows joined by LF.</summary>
    public Task WaitUntilAsync(Func<string, bool> done)
    {
        lock (_all)
        {
            if (done(Screen.ToString())) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((done, seen));
            return seen.Task;
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (_all)
        {
            _all.Append(value);
            Screen.Feed(value);
            if (_waits.Count == 0) return;
            var text = Screen.ToString();
            foreach (var (done, seen) in _waits)
                if (!seen.Task.IsCompleted && done(text)) seen.TrySetResult();
        }
    }
}
