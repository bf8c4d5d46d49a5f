namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The publishes awaiting their PUBACK, at most <c>size</c> at once, in send order. The cursor is the
/// highest id below which every publish is acknowledged: an acknowledgement out of order waits for the ones before it.</summary>
/// <remarks>One sender (the forwarder's loop) adds; settlements come from MQTTnet's threads. A ring of slots, no
/// semaphore: the sender takes free slots without waiting and, when the window is full, waits once for the next
/// free slot, then fills every slot freed meanwhile. It is woken at the first free slot, not at half-empty: a
/// sender that stops sending while PUBACKs are due lets the broker's Nagle delay them (Mosquitto sets no
/// TCP_NODELAY by default), which on loopback costs tens of milliseconds per window.</remarks>
internal sealed class InFlightWindow
{
    private readonly Lock _gate = new();
    private readonly long[] _ids;
    private readonly bool[] _done;
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _head;
    private int _count;
    private int _unsettled;
    private long _contiguous;
    private TaskCompletionSource<bool>? _room;
    private TaskCompletionSource? _drained;

    public InFlightWindow(int size, long cursor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _ids = new long[size];
        _done = new bool[size];
        _contiguous = cursor;
    }

    public int Size => _ids.Length;

    /// <summary>Every id up to here is acknowledged.</summary>
    public long Contiguous
    {
        get { lock (_gate) return _contiguous; }
    }

    /// <summary>Publishes sent and not yet settled.</summary>
    public int Outstanding
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>Completes when a publish failed: the connection is gone or the broker refused.</summary>
    public Task Failed => _failed.Task;

    public Exception? Error { get; private set; }

    /// <summary>Takes a slot for a publish of <paramref name="id"/> (0: a side publish, status or discovery, that
    /// holds a slot but no place in the cursor); false when the window is full or failed.</summary>
    public bool TryAdd(long id, out int slot)
    {
        lock (_gate)
        {
            if (_count == _ids.Length || Error is not null)
            {
                slot = -1;
                return false;
            }
            slot = (_head + _count) % _ids.Length;
            _ids[slot] = id;
            _done[slot] = false;
            _count++;
            _unsettled++;
            return true;
        }
    }

    /// <summary>Waits until a slot is free: true then, false when a publish failed.</summary>
    public ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task<bool> room;
        lock (_gate)
        {
            if (Error is not null) return ValueTask.FromResult(false);
            if (_count < _ids.Length) return ValueTask.FromResult(true);
            // The sender resumes on a pool thread of its own, not inside MQTTnet's completion of the publish
            // (resuming there inline measured no faster in bench/mqtt).
            room = (_room ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        return new ValueTask<bool>(cancellationToken.CanBeCanceled ? room.WaitAsync(cancellationToken) : room);
    }

    /// <summary>Settles the publish in <paramref name="slot"/>: acknowledged (or skipped) when
    /// <paramref name="error"/> is null, else the window fails and the cursor stays where it was.</summary>
    public void Settle(int slot, Exception? error)
    {
        TaskCompletionSource<bool>? room = null;
        TaskCompletionSource? drained = null;
        var failedNow = false;
        lock (_gate)
        {
            _unsettled--;
            if (error is null)
            {
                _done[slot] = true;
                while (_count > 0 && _done[_head])
                {
                    if (_ids[_head] > 0) _contiguous = _ids[_head];
                    _done[_head] = false;
                    _head = (_head + 1) % _ids.Length;
                    _count--;
                }
            }
            else if (Error is null)
            {
                Error = error;
                failedNow = true;
            }
            if (error is null ? _count < _ids.Length : failedNow)
            {
                room = _room;
                _room = null;
            }
            if (_unsettled == 0)
            {
                drained = _drained;
                _drained = null;
            }
        }
        if (failedNow) _failed.TrySetResult();
        room?.TrySetResult(!failedNow);
        drained?.TrySetResult();
    }

    /// <summary>Completes when every publish sent has settled (acknowledged, skipped or failed).</summary>
    public Task DrainedAsync()
    {
        lock (_gate)
        {
            if (_unsettled == 0) return Task.CompletedTask;
            return (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }
}
