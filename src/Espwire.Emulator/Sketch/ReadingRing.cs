using System.Globalization;
using System.Text;

namespace Espwire.Emulator.Sketch;

/// <summary>The Espwire library's ring (firmware/Espwire/src/EspwireClient.cpp) in C#: unacknowledged readings in a
/// fixed number of bytes (each costs its payload plus two), the oldest dropped when full, numbered by position
/// once the receiver's hello ACK says where numbering continues. Not thread-safe: the sketch locks it.</summary>
internal sealed class ReadingRing
{
    private readonly List<string> _readings = [];
    private readonly int _capacity;
    private int _used;
    private long _headSeq = 1;
    private long _maxWritten;

    public ReadingRing(int capacityBytes) => _capacity = capacityBytes;

    public int Count => _readings.Count;

    /// <summary>Readings from the oldest that were written on the current connection.</summary>
    public int Sent { get; private set; }

    public bool SeqKnown { get; private set; }

    /// <summary>Queues a reading; returns how many of the oldest were dropped to make room.</summary>
    public int Add(string payload)
    {
        var cost = payload.Length + 2;
        if (cost > _capacity) return 0;
        var dropped = 0;
        while (_capacity - _used < cost)
        {
            RemoveOldest();
            // A reading dropped before any hello ACK never had a seq, so numbering must not skip for it.
            if (!SeqKnown) _headSeq--;
            dropped++;
        }
        _readings.Add(payload);
        _used += cost;
        return dropped;
    }

    /// <summary>A new connection: everything kept is unsent on it.</summary>
    public void Reconnected() => Sent = 0;

    /// <summary>An <c>ACK N</c> (to the hello or cumulative); returns how many readings it acknowledged.</summary>
    public int Acknowledge(long n)
    {
        if (!SeqKnown)
        {
            // A fresh boot: the receiver has readings up to n from this device's earlier life; ours follow.
            SeqKnown = true;
            _headSeq = n + 1;
            return 0;
        }
        var popped = 0;
        // Only readings we actually wrote can be stored; never pop more than that.
        var upTo = Math.Min(n, _maxWritten);
        while (_readings.Count > 0 && _headSeq <= upTo)
        {
            RemoveOldest();
            popped++;
        }
        // The receiver holds more than we ever sent (another life, a restored store): number what is left after it.
        if (_headSeq <= n) _headSeq = n + 1;
        return popped;
    }

    /// <summary>The next unsent readings as <c>#SEQ PAYLOAD\r\n</c> lines, at most <paramref name="maxBytes"/>;
    /// marks them sent. Empty until the seq is known.</summary>
    public byte[] TakeUnsent(int maxBytes)
    {
        if (!SeqKnown) return [];
        var text = new StringBuilder();
        while (Sent < _readings.Count)
        {
            var line = "#" + (_headSeq + Sent).ToString(CultureInfo.InvariantCulture) + " " + _readings[Sent] + "\r\n";
            if (text.Length > 0 && text.Length + line.Length > maxBytes) break;
            text.Append(line);
            Sent++;
        }
        if (Sent > 0) _maxWritten = Math.Max(_maxWritten, _headSeq + Sent - 1);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private void RemoveOldest()
    {
        _used -= _readings[0].Length + 2;
        _readings.RemoveAt(0);
        if (Sent > 0) Sent--;
        _headSeq++;
    }
}
