using System.Net;
using System.Net.Sockets;

namespace Espwire.Emulator.At.Links;

/// <summary>
/// AT+CIPSERVER: a TCP listener on loopback standing in for the module's port. When the module's port (333 by
/// default) cannot be bound on this machine, an ephemeral port is used; <see cref="Endpoint"/> says which.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _cts = new();

    private LoopbackServer(TcpListener listener, int modulePort)
    {
        _listener = listener;
        ModulePort = modulePort;
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
    }

    public int ModulePort { get; }

    public IPEndPoint Endpoint { get; }

    public static LoopbackServer Start(int modulePort)
    {
        TcpListener listener;
        try
        {
            listener = new TcpListener(IPAddress.Loopback, modulePort);
            listener.Start(5);
        }
        catch (SocketException)
        {
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(5);
        }
        return new LoopbackServer(listener, modulePort);
    }

    public void AcceptLoop(Func<Socket, Task> onClient) => _ = AcceptLoopAsync(onClient);

    private async Task AcceptLoopAsync(Func<Socket, Task> onClient)
    {
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_cts.Token).ConfigureAwait(false);
                await onClient(socket).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        _cts.Dispose();
    }
}
