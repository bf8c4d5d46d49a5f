using System.Collections.Concurrent;
using System.Net;

namespace Espwire.Receiver.Server;

/// <summary>Counts open connections overall and per source address, refusing past the limits.</summary>
internal sealed class ConnectionLimiter(int maxConnections, int maxPerAddress)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _open;

    public Admission TryAcquire(IPAddress address)
    {
        if (Interlocked.Increment(ref _open) > maxConnections)
        {
            Interlocked.Decrement(ref _open);
            return Admission.TooManyConnections;
        }
        var count = _perAddress.AddOrUpdate(address, 1, static (_, c) => c + 1);
        if (count > maxPerAddress)
        {
            ReleaseAddress(address);
            Interlocked.Decrement(ref _open);
            return Admission.TooManyFromAddress;
        }
        return Admission.Admitted;
    }

    public void Release(IPAddress address)
    {
        ReleaseAddress(address);
        Interlocked.Decrement(ref _open);
    }

    private void ReleaseAddress(IPAddress address)
    {
        while (true)
        {
            if (!_perAddress.TryGetValue(address, out var count)) return;
            if (count <= 1)
            {
                if (_perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, count))) return;
            }
            else if (_perAddress.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }
}
