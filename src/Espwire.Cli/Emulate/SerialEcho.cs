using System.Text;

namespace Espwire.Cli.Emulate;

/// <summary>
/// <c>--show-serial</c>: prints what each module writes to its UART, a line at a time with the module's number,
/// so a sketch's "Connecting to 'iptime' [status : 7]" is visible without opening its port. The ROM's garbage is
/// shown as dots.
/// </summary>
internal sealed class SerialEcho
{
    private const int MaxLine = 512;
    private readonly TextWriter _output;
    private readonly object _gate = new();
    private readonly Dictionary<int, StringBuilder> _lines = [];

    public SerialEcho(TextWriter output) => _output = output;

    public void Attach(int index, Espwire.Emulator.VirtualModule module)
    {
        lock (_gate) _lines[index] = new StringBuilder();
        module.SerialOutput += bytes => Append(index, bytes);
    }

    private void Append(int index, byte[] bytes)
    {
        lock (_gate)
        {
            var line = _lines[index];
            foreach (var b in bytes)
            {
                if (b == (byte)'\n' || line.Length >= MaxLine)
                {
                    _output.WriteLine($"[{index}] {line}");
                    line.Clear();
                    if (b == (byte)'\n') continue;
                }
                if (b == (byte)'\r') continue;
                line.Append(b is >= 0x20 and < 0x7F || b == (byte)'\t' ? (char)b : '.');
            }
            _output.Flush();
        }
    }
}
