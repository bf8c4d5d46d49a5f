using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Server;

namespace Espwire.Receiver.Hosting;

/// <summary>The answer to one acknowledged datagram: one datagram back to its source, <c>ACK N</c> (the highest seq
/// stored for the device once this datagram's readings are committed), then a <c>NAK</c> line per rejected line.</summary>
internal sealed class UdpAckTarget(Socket socket, IPEndPoint remote) : AckTarget
{
    private readonly StringBuilder _naks = new();
    private string? _device;
    private long _ack = -1;
    private int _nakCount;

    public override void Hello(string device, long highestStored) => _device ??= device;

    public override void Sequence(long seq)
    {
    }

    public override void Nak(long seq, string reason)
    {
        AppendNak(_naks, seq, reason);
        _nakCount++;
    }

    public override void EndOfPart(DeviceSequencer sequencer)
    {
        if (_device is not null) _ack = sequencer.Last(_device);
    }

    public override void Flush(ReceiverStats stats)
    {
        if (_ack < 0) return;
        var text = new StringBuilder();
        AppendAck(text, _ack);
        text.Append(_naks);
        try
        {
            socket.SendTo(Encoding.ASCII.GetBytes(text.ToString()), SocketFlags.None, remote);
            Interlocked.Increment(ref stats.AcksSent);
            Interlocked.Add(ref stats.NaksSent, _nakCount);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Datagrams get lost either way; the device resends what stays unacknowledged.
        }
        _ack = -1;
    }

    public override void Abandon() => _ack = -1;
}
