using System.Net;
using System.Net.Sockets;

namespace Espwire.Emulator.Tests.Support;

/// <summary>A loopback TCP listener on an ephemeral port, standing in for the seed's laptop.</summary>
internal sealed class Listener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public Listener() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<Socket> AcceptAsync()
    {
        using var cts = new CancellationTokenSource(HostEnd.Timeout);
        return await _listener.AcceptSocketAsync(cts.Token);
    }

    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        var data = new byte[count];
        using var cts = new CancellationTokenSource(HostEnd.Timeout);
        var got = 0;
        while (got < count)
        {
            var n = await socket.ReceiveAsync(data.AsMemory(got), SocketFlags.None, cts.Token);
            if (n == 0) throw new EndOfStreamException($"peer closed after {got} of {count} bytes");
            got += n;
        }
        return data;
    }

    /// <summary>Everything until the peer closes.</summary>
    public static async Task<byte[]> ReceiveToEndAsync(Socket socket)
    {
        var all = new List<byte>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(HostEnd.Timeout);
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0) return [.. all];
            all.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    public void Dispose() => _listener.Stop();
}
