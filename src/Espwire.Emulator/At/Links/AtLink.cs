using System.Net;
using System.Net.Sockets;

namespace Espwire.Emulator.At.Links;

/// <summary>
/// One of the firmware's five links: a real TCP or UDP socket on loopback standing in for the module's
/// connection. Received data goes to the session as +IPD (active) or into a bounded buffer read with
/// AT+CIPRECVDATA (passive); in passive mode a full buffer stops reading the socket, so TCP flow control
/// holds the sender back and nothing is lost.
/// </summary>
internal sealed class AtLink : IAsyncDisposable
{
    /// <summary>Passive-mode buffer per link; the socket is not read while it is full.</summary>
    public const int PassiveBufferLimit = 8192;

    private readonly Socket _socket;
    private readonly AtSession _session;
    private readonly CancellationTokenSource _cts = new();
    private readonly object _bufferGate = new();
    private readonly Queue<byte> _passive = new();
    private TaskCompletionSource _space = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closed;

    public AtLink(AtSession session, int id, bool udp, Socket socket, string remoteAddress, int remotePort, bool isServer)
    {
        _session = session;
        Id = id;
        IsUdp = udp;
        _socket = socket;
        RemoteAddress = remoteAddress;
        RemotePort = remotePort;
        IsServer = isServer;
        LocalPort = (socket.LocalEndPoint as IPEndPoint)?.Port ?? 0;
    }

    public int Id { get; }

    public bool IsUdp { get; }

    public string Type => IsUdp ? "UDP" : "TCP";

    /// <summary>The remote address as the module sees it (the world's LAN address, not the loopback stand-in).</summary>
    public string RemoteAddress { get; }

    public int RemotePort { get; }

    public int LocalPort { get; }

    public bool IsServer { get; }

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    public DateTime LastActivity { get; private set; } = DateTime.UtcNow;

    public int BufferedLength
    {
        get
        {
            lock (_bufferGate) return _passive.Count;
        }
    }

    public void StartReceiving() => _ = ReceiveLoopAsync();

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[IsUdp ? 2048 : 1460];
        var ct = _cts.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (_session.PassiveReceive && _session.TransparentLink != this) await WaitForSpaceAsync(ct).ConfigureAwait(false);
                int n;
                try
                {
                    n = await _socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                }
                catch (SocketException) when (IsUdp)
                {
                    // ICMP port unreachable from an earlier datagram: UDP has no connection to lose.
                    continue;
                }
                if (n == 0 && !IsUdp) break;
                LastActivity = DateTime.UtcNow;
                var data = buffer.AsMemory(0, n).ToArray();
                if (_session.TransparentLink == this)
                {
                    await _session.Output.WriteAsync(data, ct).ConfigureAwait(false);
                }
                else if (_session.PassiveReceive)
                {
                    int total;
                    lock (_bufferGate)
                    {
                        foreach (var b in data) _passive.Enqueue(b);
                        total = _passive.Count;
                        if (total >= PassiveBufferLimit) _space = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    await _session.NotifyPassiveDataAsync(this, total, ct).ConfigureAwait(false);
                }
                else
                {
                    await _session.DeliverAsync(this, data, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        if (ct.IsCancellationRequested) return;
        try
        {
            await _session.LinkClosedByPeerAsync(this).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The firmware stopped (reset) while the peer closed.
        }
    }

    /// <summary>AT+CIPSTO: a server-side link idle for longer than the timeout is closed by the module.</summary>
    public void StartIdleWatch(Func<int> timeoutSeconds, ModuleClock clock) => _ = IdleWatchAsync(timeoutSeconds, clock);

    private async Task IdleWatchAsync(Func<int> timeoutSeconds, ModuleClock clock)
    {
        // At time scale 0 no simulated time passes while a link idles, so there is no timeout to measure.
        if (clock.Scale == 0) return;
        var ct = _cts.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var timeout = timeoutSeconds();
                var slice = TimeSpan.FromSeconds(Math.Max(1, timeout)) / 4;
                await clock.DelayAsync(slice, ct).ConfigureAwait(false);
                if (timeout == 0) continue;
                var idle = (DateTime.UtcNow - LastActivity) / clock.Scale;
                if (idle >= TimeSpan.FromSeconds(timeout))
                {
                    await _session.LinkClosedByPeerAsync(this).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private Task WaitForSpaceAsync(CancellationToken ct)
    {
        lock (_bufferGate)
        {
            if (_passive.Count < PassiveBufferLimit) return Task.CompletedTask;
            return _space.Task.WaitAsync(ct);
        }
    }

    /// <summary>Takes up to <paramref name="max"/> buffered bytes (AT+CIPRECVDATA).</summary>
    public byte[] TakeBuffered(int max)
    {
        lock (_bufferGate)
        {
            var n = Math.Min(max, _passive.Count);
            var data = new byte[n];
            for (var i = 0; i < n; i++) data[i] = _passive.Dequeue();
            if (_passive.Count < PassiveBufferLimit) _space.TrySetResult();
            return data;
        }
    }

    /// <summary>True when the link is closed and nothing waits to be read: its slot can be reused.</summary>
    public bool IsSpent
    {
        get
        {
            lock (_bufferGate) return !IsOpen && _passive.Count == 0;
        }
    }

    /// <summary>Sends bytes; false when the link is down (SEND FAIL).</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (!IsOpen) return false;
        try
        {
            var sent = 0;
            while (sent < data.Length)
                sent += await _socket.SendAsync(data[sent..], SocketFlags.None, ct).ConfigureAwait(false);
            LastActivity = DateTime.UtcNow;
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Marks the link closed; true for the first caller only, so CLOSED is reported once.</summary>
    public bool MarkClosed() => Interlocked.Exchange(ref _closed, 1) == 0;

    public async ValueTask DisposeAsync()
    {
        MarkClosed();
        await _cts.CancelAsync().ConfigureAwait(false);
        try
        {
            if (!IsUdp && _socket.Connected) _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
        _cts.Dispose();
    }
}
