namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The publishes awaiting their PUBACK, at most <c>size</c> at once, in send order. The cursor is the
/// highest id below which every publish is acknowledged: an acknowledgement out of order waits for the ones before it.</summary>
internal sealed class InFlightWindow
{
    private readonly SemaphoreSlim _slots;
    private readonly LinkedList<(long Id, bool Done)> _sent = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _size;
    private long _contiguous;
    private int _outstanding;

    public InFlightWindow(int size, long cursor)
    {
        _size = size;
        _slots = new SemaphoreSlim(size, size);
        _contiguous = cursor;
    }

    /// <summary>Every id up to here is acknowledged.</summary>
    public long Contiguous
    {
        get { lock (_gate) return _contiguous; }
    }

    /// <summary>Completes (with the error) when a publish failed: the connection is gone or the broker refused.</summary>
    public Task Failed => _failed.Task;

    public Exception? Error { get; private set; }

    /// <summary>Waits for a free slot; false when a publish failed meanwhile.</summary>
    public async ValueTask<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        // The common case, a free slot, costs no task.
        if (_slots.Wait(0))
        {
            if (!Failed.IsCompleted) return true;
            _slots.Release();
            return false;
        }
        var slot = _slots.WaitAsync(cancellationToken);
        if (await Task.WhenAny(slot, Failed).ConfigureAwait(false) == slot)
        {
            await slot.ConfigureAwait(false);
            if (!Failed.IsCompleted) return true;
            _slots.Release();
            return false;
        }
        // The slot may still be granted later; give it back when it is.
        _ = slot.ContinueWith(t => { if (t.IsCompletedSuccessfully) _slots.Release(); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return false;
    }

    /// <summary>Records a publish of <paramref name="id"/> (after <see cref="AcquireAsync"/>) and settles it with its
    /// outcome; id 0 is a side publish (status, discovery) that holds a slot but no place in the cursor.</summary>
    public void Track(long id, Task publish)
    {
        LinkedListNode<(long, bool)>? node = null;
        lock (_gate)
        {
            _outstanding++;
            if (id > 0) node = _sent.AddLast((id, false));
        }
        publish.ContinueWith(t => Settle(node, t.Exception?.GetBaseException()), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Settle(LinkedListNode<(long Id, bool Done)>? node, Exception? error)
    {
        lock (_gate)
        {
            _outstanding--;
            if (error is null && node is not null)
            {
                node.Value = (node.Value.Id, true);
                while (_sent.First is { Value.Done: true } first)
                {
                    _contiguous = first.Value.Id;
                    _sent.RemoveFirst();
                }
            }
            if (_outstanding == 0) _drained?.TrySetResult();
        }
        if (error is not null && Error is null)
        {
            Error = error;
            _failed.TrySetResult();
        }
        _slots.Release();
    }

    private TaskCompletionSource? _drained;

    /// <summary>Completes when no publish is outstanding.</summary>
    public Task DrainedAsync()
    {
        lock (_gate)
        {
            if (_outstanding == 0) return Task.CompletedTask;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    public int Size => _size;
}
