using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Sinks;

namespace Espwire.Receiver.Server;

/// <summary>The single writer: takes parts off the queue, numbers them per device (keeping a device's own seq and
/// dropping its duplicates), writes the batch to every sink in order, then answers acknowledged devices, frees the
/// queue's room and announces the readings. A sink that fails is retried with backoff while the queue fills and the
/// sockets stop being read; nothing is dropped. Ends when the queue is completed and empty.</summary>
internal sealed class ReadingPump(ReceiverCore core, IReadOnlyList<IReadingSink> sinks, DeviceSequencer sequencer,
    Func<Action<Reading>?> announce, UnwrittenReadings unwritten)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);
    private readonly List<AckTarget> _answered = [];
    private readonly List<AckTarget> _targets = [];

    /// <summary>How often a failing store is reported (tests shorten it).</summary>
    internal TimeSpan ReportInterval { get; init; } = ReportEvery;

    public async Task RunAsync()
    {
        var reader = core.Queue.Reader;
        var max = core.Options.BatchSize;
        var batch = new List<Reading>(Math.Min(max, 16_384));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var drained = 0;
            while (batch.Count < max && reader.TryRead(out var part))
            {
                drained += part.Count;
                if (part is SequencedPart sequenced)
                {
                    Walk(sequenced, batch);
                }
                else
                {
                    var start = batch.Count;
                    batch.AddRange(part);
                    sequencer.Assign(batch, start);
                    core.Queue.ReturnList(part);
                }
            }
            var stored = batch.Count == 0 || await WriteAsync(batch).ConfigureAwait(false);
            if (stored)
            {
                Interlocked.Add(ref core.Stats.ReadingsStored, batch.Count);
                foreach (var target in _targets) target.Flush(core.Stats);
            }
            else
            {
                foreach (var target in _targets) target.Abandon();
            }
            foreach (var target in _targets) target.Listed = false;
            foreach (var target in _answered) target.PartDone();
            _targets.Clear();
            _answered.Clear();
            core.Queue.Release(drained);
            if (stored && announce() is { } handler)
                foreach (var reading in batch) handler(reading);
            batch.Clear();
        }
    }

    /// <summary>A part with seqs or markers: entry by entry, in order, collecting the answers for after the commit.</summary>
    private void Walk(SequencedPart part, List<Reading> batch)
    {
        var target = part.Target;
        // A part is one socket read of one connection: its readings share the device string, so the device's
        // counter is looked up once per run of them, not once per reading.
        string? device = null;
        ref var last = ref Unsafe.NullRef<long>();
        foreach (var reading in CollectionsMarshal.AsSpan(part))
        {
            switch (reading.Marker)
            {
                case ReplyMarker.Hello:
                    target?.Hello(reading.Device, sequencer.Last(reading.Device));
                    break;
                case ReplyMarker.Nak:
                    target?.Nak(reading.Sequence, reading.NakReason!);
                    break;
                default:
                    if (!ReferenceEquals(reading.Device, device))
                    {
                        device = reading.Device;
                        last = ref sequencer.LastOf(device);
                    }
                    if (!reading.HasDeviceSequence)
                    {
                        reading.Sequence = ++last;
                        batch.Add(reading);
                    }
                    else if (reading.Sequence == 0)
                    {
                        batch.Add(reading); // a cut-off #SEQ line: kept as sent, its seq not claimed
                    }
                    else
                    {
                        // The device's own seq is kept when above its highest; at or below it, a duplicate.
                        if (reading.Sequence > last)
                        {
                            last = reading.Sequence;
                            batch.Add(reading);
                        }
                        else
                        {
                            Interlocked.Increment(ref core.Stats.Duplicates);
                        }
                        target?.Sequence(reading.Sequence);
                    }
                    break;
            }
        }
        if (target is null) return;
        target.EndOfPart(sequencer);
        _answered.Add(target);
        if (!target.Listed)
        {
            target.Listed = true;
            _targets.Add(target);
        }
    }

    /// <summary>Writes the batch to every sink, retrying a failing one (from where it failed) until it works.
    /// False: the receiver stopped while the store could not write; the batch went to the unwritten file.</summary>
    private async Task<bool> WriteAsync(List<Reading> batch)
    {
        var next = 0;
        var delay = FirstRetry;
        var failingSince = 0L;
        var lastReport = 0L;
        while (true)
        {
            try
            {
                for (; next < sinks.Count; next++) await sinks[next].WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                if (failingSince != 0)
                {
                    Volatile.Write(ref core.Stats.StoreFailing, 0);
                    core.Notify(new ReceiverNotice(NoticeKind.StoreResumed,
                        $"Storing readings again after {TimeSpan.FromMilliseconds(Environment.TickCount64 - failingSince).TotalSeconds:0.#} s; nothing was lost.", null));
                }
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var now = Environment.TickCount64;
                if (failingSince == 0)
                {
                    failingSince = now;
                    Volatile.Write(ref core.Stats.StoreFailing, 1);
                }
                if (core.Stopping.IsCancellationRequested)
                {
                    await unwritten.SaveAsync(batch, sinks.Take(next)).ConfigureAwait(false);
                    return false;
                }
                Interlocked.Increment(ref core.Stats.StoreRetries);
                if (lastReport == 0 || now - lastReport >= ReportInterval.TotalMilliseconds)
                {
                    lastReport = now;
                    core.Notify(new ReceiverNotice(NoticeKind.StoreWaiting, StoreTrouble.Describe(sinks[next], e, core.Queue.Count), null));
                }
                try
                {
                    await Task.Delay(delay, core.Stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // A stop: one more try below, then the batch goes to the unwritten file.
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }
}
