using System.Buffers;
using System.IO.Pipelines;

namespace Espwire.Emulator.Bootloader;

/// <summary>SLIP as the device speaks it: frames out, and frames in from the UART's pipe, bounded in length.</summary>
public sealed class DeviceSlip
{
    private readonly PipeReader _input;
    private readonly int _maxFrameLength;
    private readonly Queue<byte[]> _frames = new();
    private readonly List<byte> _current = new();
    private bool _inFrame;
    private bool _escaped;
    private bool _broken;

    public DeviceSlip(PipeReader input, int maxFrameLength)
    {
        _input = input;
        _maxFrameLength = maxFrameLength;
    }

    /// <summary>Frames dropped: too long, or a bad escape (line noise).</summary>
    public int DroppedFrames { get; private set; }

    /// <summary>Bytes outside frames, ignored as the ROM ignores them.</summary>
    public long NoiseBytes { get; private set; }

    public static byte[] Encode(ReadOnlySpan<byte> packet)
    {
        var frame = new List<byte>(packet.Length + 8) { 0xC0 };
        foreach (var b in packet)
        {
            if (b == 0xC0) { frame.Add(0xDB); frame.Add(0xDC); }
            else if (b == 0xDB) { frame.Add(0xDB); frame.Add(0xDD); }
            else frame.Add(b);
        }
        frame.Add(0xC0);
        return frame.ToArray();
    }

    /// <summary>The next frame, or null when the host went away.</summary>
    public async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (_frames.Count == 0)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                foreach (var segment in buffer) Feed(segment.Span);
            }
            finally
            {
                _input.AdvanceTo(buffer.End);
            }
            if (_frames.Count == 0 && (result.IsCompleted || result.IsCanceled)) return null;
        }
        return _frames.Dequeue();
    }

    private void Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (!_inFrame)
            {
                if (b == 0xC0) { _inFrame = true; Restart(); }
                else NoiseBytes++;
                continue;
            }
            if (b == 0xC0)
            {
                if (_current.Count == 0 && !_escaped && !_broken) continue;
                if (_broken || _escaped) DroppedFrames++;
                else _frames.Enqueue(_current.ToArray());
                _inFrame = false;
                Restart();
                continue;
            }
            if (_escaped)
            {
                _escaped = false;
                if (b == 0xDC) Add(0xC0);
                else if (b == 0xDD) Add(0xDB);
                else _broken = true;
                continue;
            }
            if (b == 0xDB) { _escaped = true; continue; }
            Add(b);
        }
    }

    private void Add(byte b)
    {
        if (_broken) return;
        if (_current.Count >= _maxFrameLength) { _broken = true; _current.Clear(); return; }
        _current.Add(b);
    }

    private void Restart()
    {
        _current.Clear();
        _escaped = false;
        _broken = false;
    }
}
