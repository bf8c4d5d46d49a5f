using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>Numbers each device's readings 1, 2, 3... in the order they are stored. Used by the single writer only.</summary>
internal sealed class DeviceSequencer(IReadOnlyDictionary<string, long> lastStored)
{
    private readonly Dictionary<string, long> _last = new(lastStored, StringComparer.Ordinal);

    public void Assign(List<Reading> batch)
    {
        // Runs of one connection's readings share the device string: look the counter up once per run.
        string? device = null;
        ref var last = ref Unsafe.NullRef<long>();
        foreach (var reading in batch)
        {
            if (!ReferenceEquals(reading.Device, device))
            {
                device = reading.Device;
                last = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, device, out _);
            }
            reading.Sequence = ++last;
        }
    }
}
