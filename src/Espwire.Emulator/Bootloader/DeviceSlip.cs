using System.IO.Pipelines;
using Espwire.Protocol.Rom;

namespace Espwire.Emulator.Bootloader;

/// <summary>SLIP frames in from the UART's pipe, bounded in length (frames out are <see cref="Slip.Encode"/>).</summary>
public sealed class DeviceSlip
{
    private readonly PipeReader _input;
    private readonly SlipDecoder _decoder;
    private readonly List<byte[]> _decoded = new();
    private readonly Queue<byte[]> _frames = new();

    public DeviceSlip(PipeReader input, int maxFrameLength)
    {
        _input = input;
        _decoder = new SlipDecoder(maxFrameLength);
    }

    /// <summary>Frames dropped: too long, or a bad escape (line noise).</summary>
    public int DroppedFrames => _decoder.DroppedFrames;

    /// <summary>Bytes outside frames, ignored as the ROM ignores them.</summary>
    public long NoiseBytes => _decoder.NoiseBytes;

    /// <summary>The next frame, or null when the host went away.</summary>
    public async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (_frames.Count == 0)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                foreach (var segment in buffer) _decoder.Feed(segment.Span, _decoded);
                foreach (var frame in _decoded) _frames.Enqueue(frame);
                _decoded.Clear();
            }
            finally
            {
                _input.AdvanceTo(buffer.End);
            }
            if (_frames.Count == 0 && (result.IsCompleted || result.IsCanceled)) return null;
        }
        return _frames.Dequeue();
    }
}
