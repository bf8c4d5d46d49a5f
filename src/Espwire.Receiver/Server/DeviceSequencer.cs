using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>Numbers each device's readings 1, 2, 3... in the order they are stored. Used by the single writer only.</summary>
internal sealed class DeviceSequencer(IReadOnlyDictionary<string, long> lastStored)
{
    private readonly Dictionary<string, long> _last = new(lastStored, StringComparer.Ordinal);

    public void Assign(List<Reading> batch)
    {
        foreach (var reading in batch)
        {
            ref var last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_last, reading.Device, out _);
            reading.Sequence = ++last;
        }
    }
}
