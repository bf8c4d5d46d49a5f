using Espwire.Emulator.Sketch;

namespace Espwire.Cli.Emulate;

/// <summary>Shows each emulated sketch's progress as one line per step: "module 2 (radar-2): joined 'iptime' as
/// 192.168.0.139". Used by <c>espwire emulate --mode sketch</c> and <c>espwire demo</c>.</summary>
internal sealed class SketchProgressPrinter : IProgress<SketchProgress>
{
    private readonly Action<string> _write;

    public SketchProgressPrinter(Action<string> write) => _write = write;

    public void Report(SketchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _write(Format(value));
    }

    public static string Format(SketchProgress p)
    {
        var who = p.DeviceName is null ? $"module {p.ModuleIndex + 1}" : $"module {p.ModuleIndex + 1} ({p.DeviceName})";
        return $"{who}: {p.Message}";
    }
}
