using Espwire.Testing;
using System.Net;
using System.Net.Sockets;
using Espwire.Emulator;

namespace Espwire.At.Tests.Emulated;

/// <summary>100 KB each way at a paced 115200 baud: CIPSEND chunks out, passive receive in, no byte lost.</summary>
public abstract class TransferTests(FirmwareDialect dialect, Transport transport)
{
    private const int Size = 100 * 1024;

    private static CancellationToken Timeout => TestTimeouts.Ceiling(TestTimeouts.Seconds(90));

    private static byte[] Pattern(int seed)
    {
        var data = new byte[Size];
        new Random(seed).NextBytes(data);
        return data; // random bytes include CR, LF, "OK" and "+IPD" look-alikes
    }

    [Fact]
    public async Task Hundred_kilobytes_sent_through_cipsend_arrive_intact()
    {
        var ct = Timeout;
        await using var m = await EmulatedModule.StartAsync(dialect, transport, pace: true);
        Assert.True((await m.At.Wifi.JoinAsync("iptime", "admin", null, ct)).Success);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var data = Pattern(1);

        await using var socket = await m.At.Links.ConnectTcpAsync("127.0.0.1", port, ct);
        using var peer = await listener.AcceptTcpClientAsync(ct);
        var receive = ReadExactlyAsync(peer.GetStream(), Size, ct);
        await socket.WriteAsync(data, ct);
        Assert.Equal(data, await receive);
        Assert.Equal(Size, socket.BytesSent);
    }

    [Fact]
    public async Task Hundred_kilobytes_received_through_passive_receive_arrive_intact()
    {
        var ct = Timeout;
        await using var m = await EmulatedModule.StartAsync(dialect, transport, pace: true);
        Assert.True((await m.At.Wifi.JoinAsync("iptime", "admin", null, ct)).Success);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var data = Pattern(2);

        await using var socket = await m.At.Links.ConnectTcpAsync("127.0.0.1", port, ct);
        Assert.True(socket.Passive);
        using var peer = await listener.AcceptTcpClientAsync(ct);
        var send = peer.GetStream().WriteAsync(data, ct).AsTask();
        var got = await ReadExactlyAsync(socket, Size, ct);
        await send;
        Assert.Equal(data, got);
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int size, CancellationToken ct)
    {
        var buffer = new byte[size];
        var filled = 0;
        while (filled < size)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (n == 0) throw new EndOfStreamException($"Stream ended after {filled} of {size} bytes.");
            filled += n;
        }
        return buffer;
    }
}

// One class per dialect so xunit runs them in parallel (each direction takes ~9 s on the paced wire).
public sealed class TransferTests17Pty() : TransferTests(FirmwareDialect.NonOs, Transport.Pty);

public sealed class TransferTests17Socket() : TransferTests(FirmwareDialect.NonOs, Transport.Socket);

public sealed class TransferTests22Pty() : TransferTests(FirmwareDialect.EspAt, Transport.Pty);

public sealed class TransferTests22Socket() : TransferTests(FirmwareDialect.EspAt, Transport.Socket);
