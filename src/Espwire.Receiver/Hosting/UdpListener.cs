using System.Net;
using System.Net.Sockets;
using Espwire.Receiver.Server;

namespace Espwire.Receiver.Hosting;

/// <summary>Receives datagrams on one endpoint and hands each to <see cref="ReceiverCore"/>. While the queue is
/// full it stops receiving, and the kernel's buffer absorbs (then drops) the excess, as UDP always does.</summary>
internal sealed class UdpListener : IAsyncDisposable
{
    private const int MaxDatagram = 65_535;
    private readonly Socket _socket;
    private readonly ReceiverCore _core;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public UdpListener(ReceiverCore core, IPEndPoint endpoint)
    {
        _core = core;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = true;
            _socket.ReceiveBufferSize = 4 << 20;
            _socket.Bind(endpoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start() => _loop = RunAsync();

    private async Task RunAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        var any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // ICMP port-unreachable echoes and oversized datagrams: nothing to keep, keep listening.
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var remote = (IPEndPoint)received.RemoteEndPoint;
            await _core.HandleDatagramAsync(buffer.AsMemory(0, received.ReceivedBytes), remote, () => new UdpAckTarget(_socket, remote)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
    }
}
