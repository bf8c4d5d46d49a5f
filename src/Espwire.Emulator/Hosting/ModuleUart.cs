using System.Diagnostics;
using System.IO.Pipelines;

namespace Espwire.Emulator.Hosting;

/// <summary>
/// The module's UART for one run of a firmware (one boot). Output goes to the module, which forwards it to the
/// attached host; with pacing on, each write takes as long as its bytes need on the wire at the baud rate.
/// </summary>
internal sealed class ModuleUart : IModuleUart
{
    private readonly VirtualModule _module;
    private readonly Pipe _input;
    private long _lineFreeAtTicks;

    public ModuleUart(VirtualModule module, Pipe input)
    {
        _module = module;
        _input = input;
    }

    public PipeReader Input => _input.Reader;

    public int BaudRate
    {
        get => _module.BaudRate;
        set => _module.BaudRate = value;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (data.IsEmpty) return;
        if (_module.Options.Pace)
        {
            // 8N1: ten bit times per byte. Keep a running "line busy until" so many small writes add up honestly.
            var now = Stopwatch.GetTimestamp();
            var start = Math.Max(now, _lineFreeAtTicks);
            var duration = (long)(data.Length * 10.0 / Math.Max(1, BaudRate) * Stopwatch.Frequency);
            _lineFreeAtTicks = start + duration;
            var wait = Stopwatch.GetElapsedTime(now, _lineFreeAtTicks);
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
        await _module.EmitAsync(data, cancellationToken).ConfigureAwait(false);
    }
}
