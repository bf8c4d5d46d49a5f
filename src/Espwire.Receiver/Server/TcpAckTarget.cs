using System.IO.Pipelines;
using System.Text;

namespace Espwire.Receiver.Server;

/// <summary>The answers of one acknowledged TCP connection: hello replies and NAKs in order, and one cumulative
/// <c>ACK</c> per commit for its <c>#SEQ</c> lines. Sending runs on its own loop, so a device that does not read
/// its socket slows only itself, never the writer.</summary>
internal sealed class TcpAckTarget(PipeWriter output) : AckTarget
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _sendGate = new();
    private StringBuilder _outgoing = new();
    private bool _sending;
    private bool _broken;
    private long _seenMax;
    private int _acks;
    private int _naks;
    private long _ackedMax;

    protected override bool Sending
    {
        get { lock (_sendGate) return _sending; }
    }

    public override void Hello(string device, long highestStored)
    {
        // Acknowledge what came before the hello first, so the answers keep the order of the lines.
        AckSeen();
        AppendAck(_pending, highestStored);
        _acks++;
    }

    public override void Sequence(long seq)
    {
        if (seq > _seenMax) _seenMax = seq;
    }

    public override void Nak(long seq, string reason)
    {
        AppendNak(_pending, seq, reason);
        _naks++;
    }

    private void AckSeen()
    {
        if (_seenMax <= _ackedMax) return;
        AppendAck(_pending, _seenMax);
        _acks++;
        _ackedMax = _seenMax;
    }

    public override void Flush(ReceiverStats stats)
    {
        AckSeen();
        if (_pending.Length == 0) return;
        Interlocked.Add(ref stats.AcksSent, _acks);
        Interlocked.Add(ref stats.NaksSent, _naks);
        _acks = _naks = 0;
        lock (_sendGate)
        {
            if (!_broken) _outgoing.Append(_pending);
            _pending.Clear();
            if (_sending || _outgoing.Length == 0) return;
            _sending = true;
        }
        _ = SendLoopAsync();
    }

    public override void Abandon()
    {
        _pending.Clear();
        _acks = _naks = 0;
        _ackedMax = _seenMax; // not sent: the device resends after its next hello
    }

    private async Task SendLoopAsync()
    {
        var spare = new StringBuilder();
        while (true)
        {
            StringBuilder chunk;
            lock (_sendGate)
            {
                if (_outgoing.Length == 0 || _broken)
                {
                    _outgoing.Clear();
                    _sending = false;
                    break;
                }
                chunk = _outgoing;
                _outgoing = spare;
            }
            try
            {
                await output.WriteAsync(Encoding.ASCII.GetBytes(chunk.ToString())).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // The device is gone; it resends what it has not seen acknowledged.
                lock (_sendGate) _broken = true;
            }
            chunk.Clear();
            spare = chunk;
        }
        SenderIdle();
    }
}
