using System.Threading.Channels;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Live;

/// <summary>The recent readings in memory and the live subscribers (server-sent events) of new ones. A slow
/// subscriber loses its oldest pending readings, never slows the writer; the database keeps everything.</summary>
public sealed class LiveHub
{
    private readonly Reading[] _recent;
    private readonly Lock _gate = new();
    private readonly List<Channel<Reading>> _subscribers = [];
    private long _count;

    public LiveHub(int keep = 2000)
    {
        _recent = new Reading[keep];
    }

    public void Publish(Reading reading)
    {
        lock (_gate)
        {
            _recent[_count++ % _recent.Length] = reading;
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(reading);
        }
    }

    /// <summary>The newest readings (of one device, if given), oldest first.</summary>
    public IReadOnlyList<Reading> Recent(string? device, int limit)
    {
        var result = new List<Reading>();
        lock (_gate)
        {
            var available = (int)Math.Min(_count, _recent.Length);
            for (var i = 0; i < available && result.Count < limit; i++)
            {
                var reading = _recent[(_count - 1 - i) % _recent.Length];
                if (device is null || reading.Device == device) result.Add(reading);
            }
        }
        result.Reverse();
        return result;
    }

    public ChannelReader<Reading> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<Reading>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate) _subscribers.Add(channel);
        cancellationToken.Register(() =>
        {
            lock (_gate) _subscribers.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }
}
