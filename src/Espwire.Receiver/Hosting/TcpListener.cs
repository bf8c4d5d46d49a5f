using System.Net;
using System.Net.Sockets;
using Espwire.Receiver.Server;

namespace Espwire.Receiver.Hosting;

/// <summary>Listens on one TCP endpoint and serves every accepted socket with <see cref="ReceiverCore"/>. Our own
/// accept loop rather than Kestrel's: Kestrel's socket transport loses the bytes that arrive just before a reset.</summary>
internal sealed class TcpListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ReceiverCore _core;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private Task _loop = Task.CompletedTask;

    public TcpListener(ReceiverCore core, IPEndPoint endpoint, int backlog)
    {
        _core = core;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = endpoint.Address.Equals(IPAddress.IPv6Any);
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(endpoint);
            // The kernel caps the backlog at net.core.somaxconn; connections past it wait in the SYN queue and retry.
            _socket.Listen(backlog);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start() => _loop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        var pause = TimeSpan.FromMilliseconds(10);
        var reported = false;
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                pause = TimeSpan.FromMilliseconds(10);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of file descriptors: the connection stays in the kernel's backlog; take it when one frees.
                if (!reported)
                {
                    reported = true;
                    _core.Notify(new ReceiverNotice(NoticeKind.Error,
                        $"Cannot accept more connections on {LocalEndPoint}: {e.Message}. They wait in the kernel's backlog; raise the open-file limit (ulimit -n) or lower --max-connections.", null));
                }
                try
                {
                    await Task.Delay(pause, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
                continue;
            }
            catch (SocketException)
            {
                continue; // a connection reset before we took it: nothing was read, nothing to keep
            }
            accepted.NoDelay = true;
            var task = ServeAsync(accepted);
            if (!task.IsCompleted)
            {
                lock (_gate) _connections.Add(task);
                _ = task.ContinueWith(static (t, s) => ((TcpListener)s!).Forget(t), this, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private void Forget(Task task)
    {
        lock (_gate) _connections.Remove(task);
    }

    private async Task ServeAsync(Socket socket)
    {
        SocketConnection connection;
        try
        {
            connection = SocketConnection.Create(socket, _core.Options.ReadAheadBytes);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            return;
        }
        try
        {
            await _core.HandleConnectionAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops accepting; connections already accepted go on until the core's stop ends them.</summary>
    public async Task StopAcceptingAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAcceptingAsync().ConfigureAwait(false);
        Task[] open;
        lock (_gate) open = [.. _connections];
        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
    }
}
