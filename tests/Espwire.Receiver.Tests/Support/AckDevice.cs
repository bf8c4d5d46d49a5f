using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Espwire.Receiver.Tests.Support;

/// <summary>A device speaking docs/ack-protocol.md that keeps every reading until it is acknowledged and resends
/// after a reconnect: over one persistent TCP connection, one connection per reading, or UDP datagrams.
/// <see cref="Endpoint"/> is read at every (re)connect, so a test can restart the receiver on another port.</summary>
internal sealed class AckDevice(string name, long total, Func<IPEndPoint?> endpoint)
{
    private long _acked;

    /// <summary>The highest seq the receiver acknowledged.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    public int Reconnects { get; private set; }

    public static string Payload(long seq) => "value=" + seq.ToString(CultureInfo.InvariantCulture);

    private void Acknowledge(long n)
    {
        if (n > Acked) Interlocked.Exchange(ref _acked, n);
    }

    /// <summary>A persistent stream with up to <paramref name="window"/> readings unacknowledged.</summary>
    public async Task StreamAsync(int window, CancellationToken cancellationToken)
    {
        while (Acked < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var socket = await ConnectAsync(cancellationToken);
                using var stream = new NetworkStream(socket);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"@id {name} ack\r\n"), cancellationToken);
                var next = await ReadAckAsync(reader, cancellationToken) + 1;
                Acknowledge(next - 1);
                var text = new StringBuilder();
                while (Acked < total)
                {
                    if (next <= total && next <= Acked + window)
                    {
                        text.Clear();
                        for (var end = Math.Min(Math.Min(total, Acked + window), next + 499); next <= end; next++)
                            text.Append('#').Append(next.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Payload(next)).Append("\r\n");
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), cancellationToken);
                    }
                    else
                    {
                        Acknowledge(await ReadAckAsync(reader, cancellationToken));
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or TimeoutException)
            {
                Reconnects++;
            }
        }
    }

    /// <summary>One short connection per reading: hello, ACK n, #n+1, ACK n+1, close.</summary>
    public async Task PerMessageAsync(CancellationToken cancellationToken)
    {
        while (Acked < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var socket = await ConnectAsync(cancellationToken);
                using var stream = new NetworkStream(socket);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"@id {name} ack\r\n"), cancellationToken);
                var n = await ReadAckAsync(reader, cancellationToken);
                Acknowledge(n);
                if (n >= total) break;
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"#{n + 1} {Payload(n + 1)}\r\n"), cancellationToken);
                var after = await ReadAckAsync(reader, cancellationToken);
                Acknowledge(after);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or TimeoutException)
            {
                Reconnects++;
            }
        }
    }

    /// <summary>Datagrams of a hello and up to <paramref name="perDatagram"/> readings; resent until acknowledged.</summary>
    public async Task UdpAsync(int perDatagram, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[65_535];
        while (Acked < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = endpoint();
            if (target is null)
            {
                await Task.Delay(20, cancellationToken);
                continue;
            }
            var text = new StringBuilder($"@id {name} ack\n");
            for (var seq = Acked + 1; seq <= Math.Min(total, Acked + perDatagram); seq++)
                text.Append('#').Append(seq.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Payload(seq)).Append('\n');
            try
            {
                await socket.SendToAsync(Encoding.ASCII.GetBytes(text.ToString()), target, cancellationToken);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(TimeSpan.FromSeconds(1));
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                var reply = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
                Assert.StartsWith("ACK ", reply, StringComparison.Ordinal);
                Acknowledge(long.Parse(reply[4..reply.IndexOf('\n', StringComparison.Ordinal)], CultureInfo.InvariantCulture));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Reconnects++; // lost either way, or the receiver is down: resend
            }
            catch (SocketException)
            {
                Reconnects++;
            }
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var target = endpoint();
            if (target is not null)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(target, cancellationToken);
                    return socket;
                }
                catch (SocketException)
                {
                    socket.Dispose();
                }
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task<long> ReadAckAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(60));
        string? line;
        try
        {
            line = await reader.ReadLineAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no ACK within 60 s");
        }
        if (line is null) throw new EndOfStreamException("the receiver closed the connection");
        if (!line.StartsWith("ACK ", StringComparison.Ordinal)) throw new InvalidDataException($"expected ACK N, got '{line}'");
        return long.Parse(line[4..], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
