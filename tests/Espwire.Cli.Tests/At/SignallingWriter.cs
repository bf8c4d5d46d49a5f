using Espwire.At;
using System.Text;

namespace Espwire.Cli.Tests.At;

/// <summary>A thread-safe text writer whose <see cref="WaitForAsync"/> completes once a written line contains a marker.</summary>
internal sealed class SignallingWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waits = [];

    public override Encoding Encoding => Encoding.UTF8;

    public Task WaitForAsync(string marker)
    {
        lock (_text)
        {
            if (_text.ToString().Contains(marker, StringComparison.Ordinal)) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((marker, seen));
            return seen.Task;
        }
    }

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (value != '\n') return;
            var text = _text.ToString();
            foreach (var (marker, seen) in _waits)
                if (text.Contains(marker, StringComparison.Ordinal)) seen.TrySetResult();
        }
    }

    public override string ToString()
    {
        lock (_text) return _text.ToString();
    }
}
