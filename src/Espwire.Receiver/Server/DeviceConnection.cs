using System.IO.Pipelines;
using System.Net;

namespace Espwire.Receiver.Server;

/// <summary>One device connection as <see cref="ReceiverCore"/> sees it: the bytes it sent (<see cref="Input"/>),
/// where answers go (<see cref="Output"/>, for acknowledgements), and whether it ended with a reset. The socket
/// host subclasses it; tests use it with in-memory pipes.</summary>
public class DeviceConnection(PipeReader input, IPEndPoint remote, IPEndPoint? local = null, PipeWriter? output = null)
{
    private volatile bool _reset;

    public PipeReader Input { get; } = input;

    public IPEndPoint Remote { get; } = remote;

    public IPEndPoint? Local { get; } = local;

    /// <summary>Where <c>ACK</c> and <c>NAK</c> lines go; null: this connection cannot be answered.</summary>
    public virtual PipeWriter? Output => output;

    /// <summary>The transport saw a reset after the bytes it put in <see cref="Input"/>. Set it before completing
    /// the input (without an exception, so the buffered bytes are still read).</summary>
    public bool WasReset => _reset;

    public void MarkReset() => _reset = true;

    /// <summary>The answers of an acknowledged connection, or null when it has no <see cref="Output"/>.</summary>
    internal AckTarget? CreateAckTarget() => Output is { } writer ? new TcpAckTarget(writer) : null;

    /// <summary>The connection got its slot under the limits: start reading (a waiting connection is not read).</summary>
    protected internal virtual void Admitted()
    {
    }

    /// <summary>Bytes wait in the kernel for a connection not yet admitted: it is not idle.</summary>
    protected internal virtual bool HasUnreadBytes => false;
}
