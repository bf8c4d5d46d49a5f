namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>Readings waiting for the broker, in storage order, behind a cursor: everything with an id at or below
/// <see cref="Cursor"/> is acknowledged. <see cref="StoreOutbox"/> keeps both in the SQLite store (at least once
/// across crashes); <see cref="MemoryOutbox"/> keeps them in memory (best effort, for <c>--no-db</c>).</summary>
internal interface IOutbox : IAsyncDisposable
{
    /// <summary>The highest id acknowledged (and every id below it).</summary>
    long Cursor { get; }

    /// <summary>The highest id stored so far.</summary>
    long Newest { get; }

    /// <summary>Readings dropped before they were forwarded (memory outbox over capacity); 0 for the store.</summary>
    long Dropped { get; }

    /// <summary>When the oldest unacknowledged reading arrived (microseconds since 1970), or null when none waits.</summary>
    long? OldestPendingMicros { get; }

    /// <summary>New readings were stored (the store) or handed over (memory).</summary>
    void Added(IReadOnlyList<Readings.Reading> batch);

    /// <summary>Up to <paramref name="max"/> entries with ids above <paramref name="afterId"/>, in id order.</summary>
    ValueTask<IReadOnlyList<OutboxEntry>> FetchAsync(long afterId, int max, CancellationToken cancellationToken);

    /// <summary>Moves the cursor to <paramref name="id"/> and makes it durable (the store) or frees memory.</summary>
    ValueTask SaveCursorAsync(long id, CancellationToken cancellationToken);

    /// <summary>Refreshes <see cref="Newest"/> and <see cref="OldestPendingMicros"/>.</summary>
    ValueTask RefreshAsync(CancellationToken cancellationToken);
}
