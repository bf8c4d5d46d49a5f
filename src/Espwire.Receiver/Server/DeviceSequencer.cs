using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>The highest seq of every device, in storage order: numbers plain readings after it (1, 2, 3...) and
/// keeps a device's own <c>#SEQ</c> when it is higher (a duplicate otherwise). Used by the single writer only.</summary>
internal sealed class DeviceSequencer(IReadOnlyDictionary<string, long> lastStored)
{
    private readonly Dictionary<string, long> _last = new(lastStored, StringComparer.Ordinal);

    /// <summary>Numbers the plain readings <paramref name="batch"/>[<paramref name="start"/>..].</summary>
    public void Assign(List<Reading> batch, int start = 0)
    {
        // Runs of one connection's readings share the device string: look the counter up once per run.
        string? device = null;
        ref var last = ref Unsafe.NullRef<long>();
        var span = CollectionsMarshal.AsSpan(batch);
        for (var i = start; i < span.Length; i++)
        {
            var reading = span[i];
            if (!ReferenceEquals(reading.Device, device))
            {
                device = reading.Device;
                last = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, device, out _);
            }
            reading.Sequence = ++last;
        }
    }

    /// <summary>The device's highest seq, to read or raise in place: valid until another device is added.</summary>
    public ref long LastOf(string device) => ref CollectionsMarshal.GetValueRefOrAddDefault(_last, device, out _);

    public long Last(string device) => _last.GetValueOrDefault(device);
}
