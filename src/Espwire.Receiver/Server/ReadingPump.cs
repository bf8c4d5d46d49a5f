using Espwire.Receiver.Readings;
using Espwire.Receiver.Sinks;

namespace Espwire.Receiver.Server;

/// <summary>The single writer: takes batches off the queue, numbers them per device, writes them to every sink in
/// order, then frees their room in the queue and announces them. Ends when the queue is completed and empty.</summary>
internal sealed class ReadingPump(ReceiverCore core, IReadOnlyList<IReadingSink> sinks, DeviceSequencer sequencer,
    Func<Action<Reading>?> announce)
{
    public async Task RunAsync()
    {
        var reader = core.Queue.Reader;
        var max = core.Options.BatchSize;
        var batch = new List<Reading>(Math.Min(max, 16_384));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < max && reader.TryRead(out var part))
            {
                batch.AddRange(part);
                core.Queue.ReturnList(part);
            }
            sequencer.Assign(batch);
            foreach (var sink in sinks) await sink.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref core.Stats.ReadingsStored, batch.Count);
            core.Queue.Release(batch.Count);
            if (announce() is { } handler)
                foreach (var reading in batch) handler(reading);
            batch.Clear();
        }
    }
}
