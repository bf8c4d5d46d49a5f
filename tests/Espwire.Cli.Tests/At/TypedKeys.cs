using System.Text;
using Espwire.Cli.At;

namespace Espwire.Cli.Tests.At;

/// <summary>A keyboard for tests: <see cref="Type"/> takes the bytes a terminal sends ("AT\r", "\x15" for Ctrl+U,
/// "\x1b[A" for Up) through the same <see cref="KeyDecoder"/> the real terminal uses.</summary>
internal sealed class TypedKeys(int width = 120) : Keyboard
{
    private readonly KeyDecoder _decoder = new();
    private readonly object _gate = new();

    public override int Width => width;

    public bool Started { get; private set; }

    public override void Start() => Started = true;

    public void Type(string bytes)
    {
        lock (_gate)
        {
            var keys = _decoder.Feed(Encoding.UTF8.GetBytes(bytes));
            if (_decoder.Pending) _decoder.Flush(keys);
            foreach (var key in keys) Post(key);
        }
    }

    /// <summary>The terminal closes (no more keys).</summary>
    public void Close() => End();
}
