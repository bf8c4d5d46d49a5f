using System.Threading.Channels;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Live;

/// <summary>The readings stored lately, numbered for the live stream, and its subscribers. A subscriber gets what it
/// missed (after a <c>Last-Event-ID</c>) and then every new reading, with no gap between the two; a slow subscriber
/// loses its oldest pending readings and is told so (it reloads), never slows the writer. The database keeps everything.</summary>
public sealed class LiveHub
{
    private readonly LiveEvent[] _recent;
    private readonly Lock _gate = new();
    private readonly List<Channel<LiveEvent>> _subscribers = [];
    private readonly Dictionary<string, DeviceActivity> _devices = new(StringComparer.Ordinal);
    private readonly long _firstId;
    private long _lastId;

    public LiveHub(int keep = 20_000, long? firstId = null)
    {
        _recent = new LiveEvent[keep];
        _firstId = firstId ?? Reading.NowMicros();
        _lastId = _firstId - 1;
    }

    /// <summary>Readings a subscriber may fall behind by before it is cut off (it reconnects and resumes).</summary>
    public int SubscriberBacklog { get; init; } = 10_000;

    /// <summary>The id of the newest reading published, or one below the first id when none was.</summary>
    public long LastId
    {
        get { lock (_gate) return _lastId; }
    }

    public int SubscriberCount
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    public void Publish(Reading reading)
    {
        lock (_gate)
        {
            var item = new LiveEvent(++_lastId, reading);
            _recent[(item.Id - _firstId) % _recent.Length] = item;
            if (!_devices.TryGetValue(reading.Device, out var device)) _devices[reading.Device] = device = new DeviceActivity(reading.Device);
            device.Add(reading);
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (_subscribers[i].Writer.TryWrite(item)) continue;
                // Too far behind: end its stream; the page reconnects with Last-Event-ID or reloads.
                _subscribers[i].Writer.TryComplete(new LiveSubscriberTooSlowException());
                _subscribers.RemoveAt(i);
            }
        }
    }

    /// <summary>The acknowledgement protocol's hook: call when a device's hello asked for acknowledgements
    /// (<c>@id NAME ack</c>), so the devices table shows it as acked.</summary>
    public void MarkAcked(string device)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(device, out var activity)) _devices[device] = activity = new DeviceActivity(device);
            activity.Acked = true;
        }
    }

    public IReadOnlyList<DeviceLive> Devices()
    {
        var now = Reading.NowMicros();
        lock (_gate) return _devices.Values.Where(d => d.Last is not null).Select(d => d.Snapshot(now)).ToArray();
    }

    /// <summary>The newest readings (of one device, if given), oldest first: the API's answer when there is no database.</summary>
    public IReadOnlyList<LiveEvent> Recent(Func<Reading, bool> filter, int? limit)
    {
        var result = new List<LiveEvent>();
        lock (_gate)
        {
            var available = Math.Min(_lastId - _firstId + 1, _recent.Length);
            for (long i = 0; i < available && (limit is null || result.Count < limit); i++)
            {
                var item = _recent[(_lastId - i - _firstId) % _recent.Length];
                if (filter(item.Reading)) result.Add(item);
            }
        }
        result.Reverse();
        return result;
    }

    /// <summary>Subscribes to new readings. With <paramref name="afterId"/>, first the kept readings after it; when the
    /// hub no longer holds all of them, <see cref="LiveSubscription.Complete"/> is false and the caller should say so.</summary>
    public LiveSubscription Subscribe(long? afterId, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberBacklog)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: Publish then cuts the subscriber off.
            SingleReader = true,
        });
        var replay = new List<LiveEvent>();
        var complete = true;
        lock (_gate)
        {
            if (afterId is { } after && after < _lastId)
            {
                var oldestKept = Math.Max(_firstId, _lastId - _recent.Length + 1);
                complete = after + 1 >= oldestKept;
                for (var id = Math.Max(after + 1, oldestKept); id <= _lastId; id++) replay.Add(_recent[(id - _firstId) % _recent.Length]);
            }
            _subscribers.Add(channel);
        }
        cancellationToken.Register(() =>
        {
            lock (_gate) _subscribers.Remove(channel);
            channel.Writer.TryComplete();
        });
        return new LiveSubscription(replay, complete, channel.Reader);
    }
}
