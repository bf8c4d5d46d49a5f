using System.Text;
using Espwire.Emulator;
using Espwire.Emulator.Sketch;
using Espwire.Testing;

namespace Espwire.Firmware.Tests.Support;

/// <summary>An in-process virtual ESP-12F booted into a sketch (no host attached), its serial output collected.</summary>
/// <remarks>Not <see cref="Espwire.Testing.EmulatedModule"/>: that one hosts the module on a port and drives its AT
/// firmware with an AtModule; this one runs the module's own sketch and only reads what it prints and counts.</remarks>
public sealed class SketchModule : IAsyncDisposable
{
    private readonly StringBuilder _serial = new();

    public SketchModule(SketchOptions sketch, double timeScale = 0.02)
    {
        Counters = sketch.Counters ?? new SketchCounters();
        Module = new VirtualModule(new ModuleOptions { Mode = BootMode.Sketch, TimeScale = timeScale, Sketch = sketch with { Counters = Counters } });
        Module.SerialOutput += bytes =>
        {
            lock (_serial) _serial.Append(Encoding.Latin1.GetString(bytes));
        };
        Module.Start();
    }

    public VirtualModule Module { get; }

    public SketchCounters Counters { get; }

    public string Serial
    {
        get
        {
            lock (_serial) return _serial.ToString();
        }
    }

    public int Count(string text)
    {
        var all = Serial;
        var n = 0;
        for (var i = all.IndexOf(text, StringComparison.Ordinal); i >= 0; i = all.IndexOf(text, i + text.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    public Task WaitForAsync(string text, int times = 1) => Eventually.UntilAsync(() => Count(text) >= times, $"'{text}' x{times}", context: () => Serial);

    /// <summary>Every reading made and none left unacknowledged (or dropped).</summary>
    public Task WaitDoneAsync(int readings)
        => Eventually.UntilAsync(() => Counters.Produced == readings && Counters.Pending == 0, $"{readings} readings acknowledged", context: () => Serial);

    public ValueTask DisposeAsync() => Module.DisposeAsync();
}
