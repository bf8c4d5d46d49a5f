using System.Threading.Channels;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>The bounded hand-off from sockets to sinks, counted in readings rather than batches. A producer whose
/// batch does not fit waits (and so stops reading its socket) until the writer frees room; nothing is dropped.</summary>
internal sealed class ReadingQueue
{
    private readonly Channel<List<Reading>> _channel =
        Channel.CreateUnbounded<List<Reading>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    // Batch lists go back and forth between the sessions and the writer: reusing them saves growing a fresh list
    // to a read's thousands of readings (a 64 KiB read of short lines fills 8,192 slots) on every socket read.
    private readonly System.Collections.Concurrent.ConcurrentQueue<List<Reading>> _spareLists = new();
    private int _spareCount;
    private const int MaxSpareLists = 64;
    private readonly long _capacity;
    private readonly ReceiverStats _stats;
    private long _queued;
    private TaskCompletionSource? _roomFreed;
    private Exception? _failure;

    public ReadingQueue(int capacity, ReceiverStats stats)
    {
        _capacity = capacity;
        _stats = stats;
    }

    /// <summary>A producer found the queue full and is waiting (tests observe backpressure with it).</summary>
    internal event Action? ProducerWaiting;

    public long Count => Interlocked.Read(ref _queued);

    public ChannelReader<List<Reading>> Reader => _channel.Reader;

    /// <summary>An empty list for a session's next batch: a spare one when the writer has returned some.</summary>
    public List<Reading> RentList()
    {
        if (_spareLists.TryDequeue(out var list))
        {
            Interlocked.Decrement(ref _spareCount);
            return list;
        }
        return new List<Reading>(64);
    }

    /// <summary>The writer is done with a batch list: clear it (dropping its readings) and keep it for reuse.</summary>
    public void ReturnList(List<Reading> list)
    {
        if (Interlocked.Increment(ref _spareCount) > MaxSpareLists)
        {
            Interlocked.Decrement(ref _spareCount);
            return;
        }
        list.Clear();
        _spareLists.Enqueue(list);
    }

    public async ValueTask EnqueueAsync(List<Reading> batch)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_failure is not null)
                    throw new InvalidOperationException("The receiver's writer failed; readings cannot be stored.", _failure);
                // An empty queue takes any batch, so one batch larger than the capacity cannot wait forever.
                if (_queued == 0 || _queued + batch.Count <= _capacity)
                {
                    _queued += batch.Count;
                    if (!_channel.Writer.TryWrite(batch))
                        throw new InvalidOperationException("The receiver is stopped; no more readings are accepted.");
                    return;
                }
                _roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _roomFreed.Task;
            }
            Interlocked.Increment(ref _stats.QueueFullWaits);
            ProducerWaiting?.Invoke();
            await wait.ConfigureAwait(false);
        }
    }

    /// <summary>The writer has stored <paramref name="count"/> readings.</summary>
    public void Release(int count)
    {
        TaskCompletionSource? freed;
        lock (_gate)
        {
            _queued -= count;
            freed = _roomFreed;
            _roomFreed = null;
        }
        freed?.TrySetResult();
    }

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>The writer died: wake every waiting producer with the error instead of leaving it blocked.</summary>
    public void Fail(Exception failure)
    {
        TaskCompletionSource? freed;
        lock (_gate)
        {
            _failure = failure;
            freed = _roomFreed;
            _roomFreed = null;
        }
        freed?.TrySetResult();
        _channel.Writer.TryComplete(failure);
    }
}
