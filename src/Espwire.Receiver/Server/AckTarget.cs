using System.Globalization;
using System.Text;

namespace Espwire.Receiver.Server;

/// <summary>Where the answers of one acknowledged connection (or one UDP datagram) go (docs/ack-protocol.md).
/// The writer calls the answer methods in queue order while it builds a batch, and <see cref="Flush"/> once the
/// batch is committed; nothing leaves before the commit. Only acknowledged devices pay for one of these.</summary>
internal abstract class AckTarget
{
    private readonly Lock _gate = new();
    private int _outstanding;
    private bool _inputEnded;
    private TaskCompletionSource? _finished;

    /// <summary>Writer-only: this target is already listed for the current commit.</summary>
    internal bool Listed;

    /// <summary>The device's hello reached the writer: <paramref name="highestStored"/> is exact once the batch commits.</summary>
    public abstract void Hello(string device, long highestStored);

    /// <summary>A <c>#SEQ</c> line, stored or a duplicate: either way it is acknowledged after the commit.</summary>
    public abstract void Sequence(long seq);

    public abstract void Nak(long seq, string reason);

    /// <summary>The end of one queued part (one socket read, one datagram).</summary>
    public virtual void EndOfPart(DeviceSequencer sequencer)
    {
    }

    /// <summary>The batch holding everything answered so far is committed: send the answers.</summary>
    public abstract void Flush(ReceiverStats stats);

    /// <summary>The store gave up on the batch (a stop while it could not write): answer nothing, so the device resends.</summary>
    public abstract void Abandon();

    /// <summary>A part for this target was queued; the writer calls <see cref="PartDone"/> after answering it.</summary>
    public void PartQueued()
    {
        lock (_gate) _outstanding++;
    }

    public void PartDone()
    {
        lock (_gate)
        {
            _outstanding--;
            TryFinish();
        }
    }

    /// <summary>No more parts will come; completes once every queued part is answered and the answers are sent.</summary>
    public Task InputEndedAsync()
    {
        lock (_gate)
        {
            _inputEnded = true;
            _finished ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            TryFinish();
            return _finished.Task;
        }
    }

    /// <summary>The sender went idle (subclasses with their own send loop call this).</summary>
    protected void SenderIdle()
    {
        lock (_gate) TryFinish();
    }

    protected virtual bool Sending => false;

    private void TryFinish()
    {
        if (_inputEnded && _outstanding == 0 && !Sending) _finished?.TrySetResult();
    }

    protected static void AppendAck(StringBuilder text, long n) =>
        text.Append("ACK ").Append(n.ToString(CultureInfo.InvariantCulture)).Append('\n');

    protected static void AppendNak(StringBuilder text, long seq, string reason) =>
        text.Append("NAK ").Append(seq.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(reason).Append('\n');
}
