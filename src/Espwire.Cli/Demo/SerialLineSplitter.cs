using System.Text;

namespace Espwire.Cli.Demo;

/// <summary>Turns a module's UART bytes into printable lines, the way a serial monitor shows them. The ROM's boot
/// text (74880 baud read at 115200) is garbage with no newline before the sketch's first line: a byte that is not
/// printable ASCII drops what the line held so far, and a line is cut at <see cref="MaxLine"/> bytes so a noisy line
/// cannot grow without bound.</summary>
internal sealed class SerialLineSplitter(Action<string> onLine)
{
    public const int MaxLine = 256;
    private readonly StringBuilder _line = new();

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        lock (_line)
        {
            foreach (var b in bytes)
            {
                if (b == (byte)'\n')
                {
                    Flush();
                    continue;
                }
                if (b == (byte)'\r') continue;
                if (b is < 0x20 or > 0x7E && b != (byte)'\t') _line.Clear();
                else if (_line.Length < MaxLine) _line.Append((char)b);
            }
        }
    }

    private void Flush()
    {
        var text = _line.ToString().TrimEnd();
        if (text.Length > 0) onLine(text);
        _line.Clear();
    }
}
