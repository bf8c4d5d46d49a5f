using System.Net;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Live;

/// <summary>What the live hub has seen of one device since the receiver started: its style, its rate and its last line.
/// Updated under the hub's lock.</summary>
internal sealed class DeviceActivity(string device)
{
    // Readings per second over the last RateWindow seconds, one bucket per second.
    private const int RateWindow = 10;
    private readonly long[] _buckets = new long[RateWindow];
    private readonly long[] _bucketSecond = new long[RateWindow];
    private IPEndPoint? _lastRemote;
    private long _firstSecond = -1;

    public string Device { get; } = device;
    public TransportStyle Style { get; private set; }
    public bool Acked { get; set; }
    public long Count { get; private set; }
    public Reading? Last { get; private set; }

    public void Add(Reading reading)
    {
        Style = reading.Transport == Transport.Udp ? TransportStyle.Udp
            : _lastRemote is null ? (Style == TransportStyle.Tcp ? TransportStyle.Tcp : Style)
            : _lastRemote.Port != reading.Remote.Port || !_lastRemote.Address.Equals(reading.Remote.Address) ? TransportStyle.PerMessage
            : TransportStyle.Persistent;
        _lastRemote = reading.Remote;
        Count++;
        Last = reading;
        var second = reading.ReceivedAtMicros / 1_000_000;
        if (_firstSecond < 0) _firstSecond = second;
        var slot = (int)(second % RateWindow);
        if (_bucketSecond[slot] != second)
        {
            _bucketSecond[slot] = second;
            _buckets[slot] = 0;
        }
        _buckets[slot]++;
    }

    /// <summary>Readings per second over the last whole seconds (up to ten) before <paramref name="nowMicros"/>.</summary>
    public double Rate(long nowMicros)
    {
        var now = nowMicros / 1_000_000;
        if (_firstSecond < 0) return 0;
        var seconds = Math.Clamp(now - _firstSecond, 1, RateWindow);
        long sum = 0;
        for (var i = 0; i < RateWindow; i++)
            if (_bucketSecond[i] >= now - seconds && _bucketSecond[i] < now) sum += _buckets[i];
        return sum / (double)seconds;
    }

    public DeviceLive Snapshot(long nowMicros) =>
        new(Device, Acked ? TransportStyle.Acked : Style, Count, Rate(nowMicros), Last!);
}
