namespace Espwire.Protocol.Rom;

/// <summary>
/// Turns a byte stream into SLIP frames, in fragments of any size. Bytes outside frames (a boot log at the wrong
/// baud, line noise) are counted and kept in a short tail for error messages, never treated as data. Used by the
/// host (the flasher) and the device (the emulated ROM) alike.
/// </summary>
public sealed class SlipDecoder
{
    private readonly int _maxFrameLength;
    private readonly List<byte> _frame = new();
    private readonly Queue<byte> _noiseTail = new();
    private bool _inFrame;
    private bool _escaped;
    private bool _badEscape; // a broken escape or an over-long frame: dropped at its closing C0

    public const int DefaultMaxFrameLength = 0x11000;

    public SlipDecoder(int maxFrameLength = DefaultMaxFrameLength) => _maxFrameLength = maxFrameLength;

    /// <summary>Bytes seen outside any frame since the decoder was created.</summary>
    public long NoiseBytes { get; private set; }

    /// <summary>Frames dropped because they were too long or had a broken escape.</summary>
    public int DroppedFrames { get; private set; }

    /// <summary>The last few bytes seen outside frames, as text, e.g. a ROM boot message.</summary>
    public string NoiseText => new(_noiseTail.Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.').ToArray());

    /// <summary>Feeds bytes; complete frames go to <paramref name="frames"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, List<byte[]> frames)
    {
        foreach (var b in bytes)
        {
            if (!_inFrame)
            {
                if (b == Slip.End) { _inFrame = true; ResetFrame(); }
                else Noise(b);
                continue;
            }
            if (b == Slip.End)
            {
                // An empty frame (C0 C0) is a stray delimiter followed by a start: stay inside.
                if (_frame.Count == 0 && !_escaped && !_badEscape) continue;
                if (!_badEscape && !_escaped) frames.Add(_frame.ToArray());
                else DroppedFrames++;
                _inFrame = false;
                ResetFrame();
                continue;
            }
            if (_escaped)
            {
                _escaped = false;
                if (b == Slip.EscEnd) Add(Slip.End);
                else if (b == Slip.EscEsc) Add(Slip.Esc);
                else _badEscape = true;
                continue;
            }
            if (b == Slip.Esc) { _escaped = true; continue; }
            Add(b);
        }
    }

    private void Add(byte b)
    {
        if (_badEscape) return;
        if (_frame.Count >= _maxFrameLength)
        {
            // An over-long frame is garbage: keep nothing of it and drop it at its closing C0.
            _badEscape = true;
            _frame.Clear();
            return;
        }
        _frame.Add(b);
    }

    private void ResetFrame()
    {
        _frame.Clear();
        _escaped = false;
        _badEscape = false;
    }

    private void Noise(byte b)
    {
        NoiseBytes++;
        _noiseTail.Enqueue(b);
        while (_noiseTail.Count > 64) _noiseTail.Dequeue();
    }
}
