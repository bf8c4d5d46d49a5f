using System.Net;
using System.Net.Sockets;

namespace Espwire.Receiver.Hosting;

/// <summary>A listen endpoint could not be bound; names the transport, so "port in use" says which one.</summary>
public sealed class ListenException(string transport, IPEndPoint endpoint, SocketException inner)
    : IOException($"cannot listen on {transport} {endpoint}: {inner.Message}", inner)
{
    /// <summary>"TCP" or "UDP".</summary>
    public string Transport { get; } = transport;

    public IPEndPoint EndPoint { get; } = endpoint;

    public SocketError SocketError => inner.SocketErrorCode;
}
