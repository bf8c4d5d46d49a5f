using System.Net;

namespace Espwire.Receiver.Server;

/// <summary>Counts open connections overall and per source address. A connection past a limit is not refused: it
/// waits, unread, for a slot (first come, first served among those that fit), so a device's write that the kernel
/// accepted is never thrown away.</summary>
internal sealed class ConnectionLimiter(int maxConnections, int maxPerAddress)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private int _open;

    public int Waiting
    {
        get { lock (_gate) return _waiters.Count; }
    }

    /// <summary>Takes a slot now, or says which limit is full.</summary>
    public Admission TryAcquire(IPAddress address)
    {
        lock (_gate)
        {
            var why = Fits(address);
            if (why == Admission.Admitted) Take(address);
            return why;
        }
    }

    /// <summary>Waits for a slot. Cancelling gives up the wait (or the slot, if it was granted meanwhile).</summary>
    public async Task WaitAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(address);
        lock (_gate)
        {
            if (Fits(address) == Admission.Admitted)
            {
                Take(address);
                return;
            }
            waiter.Node = _waiters.AddLast(waiter);
        }
        using (cancellationToken.UnsafeRegister(static w => ((Waiter)w!).Granted.TrySetCanceled(), waiter))
        {
            try
            {
                await waiter.Granted.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Still waiting: leave the line. Granted at the same moment instead: Release saw the grant fail
                // and gave the slot back itself.
                lock (_gate)
                {
                    if (waiter.Node!.List is not null) _waiters.Remove(waiter.Node);
                }
                throw;
            }
        }
    }

    public void Release(IPAddress address)
    {
        List<Waiter>? granted = null;
        lock (_gate)
        {
            _open--;
            if (_perAddress.TryGetValue(address, out var count))
            {
                if (count <= 1) _perAddress.Remove(address);
                else _perAddress[address] = count - 1;
            }
            for (var node = _waiters.First; node is not null && _open < maxConnections;)
            {
                var next = node.Next;
                if (Fits(node.Value.Address) == Admission.Admitted)
                {
                    Take(node.Value.Address);
                    _waiters.Remove(node);
                    (granted ??= []).Add(node.Value);
                }
                node = next;
            }
        }
        if (granted is null) return;
        foreach (var waiter in granted)
        {
            // Cancelled at the same moment: the canceller sees the node gone and releases the slot.
            if (!waiter.Granted.TrySetResult()) Release(waiter.Address);
        }
    }

    private Admission Fits(IPAddress address)
    {
        if (_open >= maxConnections) return Admission.TooManyConnections;
        return _perAddress.GetValueOrDefault(address) >= maxPerAddress ? Admission.TooManyFromAddress : Admission.Admitted;
    }

    private void Take(IPAddress address)
    {
        _open++;
        _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
    }

    private sealed class Waiter(IPAddress address)
    {
        public readonly IPAddress Address = address;
        public readonly TaskCompletionSource Granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node;
    }
}
