using Espwire.Protocol.Rom;
using System.Diagnostics;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Connection;

/// <summary>
/// Reads SLIP frames from a stream with a deadline. One read is kept outstanding across calls, so a timeout never
/// abandons bytes and works on streams whose reads ignore cancellation (some serial drivers).
/// </summary>
internal sealed class FrameReader
{
    private readonly Stream _stream;
    private readonly SlipDecoder _decoder;
    private readonly Queue<byte[]> _frames = new();
    private readonly List<byte[]> _scratch = new();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Task<int>? _pending;

    public FrameReader(Stream stream, int maxFrameLength)
    {
        _stream = stream;
        _decoder = new SlipDecoder(maxFrameLength);
    }

    public SlipDecoder Decoder => _decoder;

    /// <summary>The next frame, or null when <paramref name="timeout"/> passes first. Throws EndOfStreamException when the link closes.</summary>
    public async Task<byte[]?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_frames.Count > 0) return _frames.Dequeue();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            _pending ??= _stream.ReadAsync(_buffer, CancellationToken.None).AsTask();
            if (!_pending.IsCompleted)
            {
                var remaining = timeout - clock.Elapsed;
                if (remaining <= TimeSpan.Zero) return null;
                using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(remaining, delayCancel.Token);
                var first = await Task.WhenAny(_pending, delay).ConfigureAwait(false);
                delayCancel.Cancel();
                if (first != _pending)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return null;
                }
            }
            int n;
            try
            {
                n = await _pending.ConfigureAwait(false);
            }
            finally
            {
                _pending = null;
            }
            if (n == 0) throw new EndOfStreamException();
            _scratch.Clear();
            _decoder.Feed(_buffer.AsSpan(0, n), _scratch);
            foreach (var f in _scratch) _frames.Enqueue(f);
            if (_frames.Count > 0) return _frames.Dequeue();
        }
    }

    /// <summary>Forgets frames already decoded (stale replies after a reset or a retry).</summary>
    public void DiscardDecoded() => _frames.Clear();
}
