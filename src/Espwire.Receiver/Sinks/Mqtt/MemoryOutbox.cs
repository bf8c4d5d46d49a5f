namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The outbox without a database (<c>--no-db</c>): readings wait in memory, numbered as they come, up to a
/// capacity; beyond it the oldest are dropped and counted. Best effort: a stopped receiver loses what waits.</summary>
internal sealed class MemoryOutbox(int capacity, bool valueNames) : IOutbox
{
    private readonly LinkedList<OutboxEntry> _entries = [];
    private readonly Lock _gate = new();
    private long _cursor;
    private long _newest;
    private long _dropped;

    public long Cursor => Volatile.Read(ref _cursor);

    public long Newest => Volatile.Read(ref _newest);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long? OldestPendingMicros
    {
        get
        {
            lock (_gate)
            {
                for (var node = _entries.First; node is not null; node = node.Next)
                    if (node.Value.Id > _cursor) return node.Value.ReceivedAtMicros;
                return null;
            }
        }
    }

    public void Added(IReadOnlyList<Readings.Reading> batch)
    {
        lock (_gate)
        {
            foreach (var reading in batch)
            {
                var names = valueNames ? reading.Values.Select(v => v.Name).ToArray() : [];
                _entries.AddLast(new OutboxEntry(++_newest, reading.Device, reading.ReceivedAtMicros, OutboxPayload.FromReading(reading), names));
                if (_entries.Count > capacity)
                {
                    // The oldest reading gives way; if it was in flight its acknowledgement simply finds nothing.
                    if (_entries.First!.Value.Id > _cursor) _dropped++;
                    _entries.RemoveFirst();
                }
            }
        }
    }

    public ValueTask<IReadOnlyList<OutboxEntry>> FetchAsync(long afterId, int max, CancellationToken cancellationToken)
    {
        var found = new List<OutboxEntry>();
        lock (_gate)
        {
            for (var node = _entries.First; node is not null && found.Count < max; node = node.Next)
                if (node.Value.Id > afterId) found.Add(node.Value);
        }
        return ValueTask.FromResult<IReadOnlyList<OutboxEntry>>(found);
    }

    public ValueTask SaveCursorAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _cursor = Math.Max(_cursor, id);
            while (_entries.First is { } first && first.Value.Id <= _cursor) _entries.RemoveFirst();
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask RefreshAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
