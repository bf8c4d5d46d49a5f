using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Espwire.Ota.Tests;

/// <summary>
/// A scripted ArduinoOTA written independently of the emulator: fixed nonce, records the exact lines it gets,
/// answers each TCP read with its byte count, then the final word it was given.
/// </summary>
internal sealed class StandInArduinoOta : IDisposable
{
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Task _run;

    public StandInArduinoOta(string? password, string finalWord = "OK", string nonce = EspotaLinesTests.VectorNonce)
    {
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_udp.LocalEndPoint!).Port;
        _run = Task.Run(() => RunAsync(password, finalWord, nonce));
    }

    public int Port { get; }

    public byte[]? Invitation { get; private set; }

    public byte[]? AuthLine { get; private set; }

    public MemoryStream Received { get; } = new();

    public Task Finished => _run;

    private async Task RunAsync(string? password, string finalWord, string nonce)
    {
        var buffer = new byte[1500];
        var packet = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
        var from = (IPEndPoint)packet.RemoteEndPoint;
        Invitation = buffer.AsSpan(0, packet.ReceivedBytes).ToArray();
        var fields = Encoding.ASCII.GetString(Invitation).Trim().Split(' ');
        var hostPort = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var size = long.Parse(fields[2], CultureInfo.InvariantCulture);
        if (password is not null)
        {
            await _udp.SendToAsync(Encoding.ASCII.GetBytes("AUTH " + nonce), SocketFlags.None, from);
            var auth = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
            AuthLine = buffer.AsSpan(0, auth.ReceivedBytes).ToArray();
            var parts = Encoding.ASCII.GetString(AuthLine).Trim().Split(' ');
            var expected = Md5(Md5(password) + ":" + nonce + ":" + parts[1]);
            if (parts[2] != expected)
            {
                await _udp.SendToAsync("Authentication Failed"u8.ToArray(), SocketFlags.None, from);
                return;
            }
        }
        await _udp.SendToAsync("OK"u8.ToArray(), SocketFlags.None, from);
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(new IPEndPoint(from.Address, hostPort));
        var chunk = new byte[2048];
        while (Received.Length < size)
        {
            var n = await tcp.ReceiveAsync(chunk, SocketFlags.None);
            if (n == 0) return;
            Received.Write(chunk, 0, n);
            await tcp.SendAsync(Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)), SocketFlags.None);
        }
        await tcp.SendAsync(Encoding.ASCII.GetBytes(finalWord), SocketFlags.None);
        tcp.Shutdown(SocketShutdown.Both);
    }

    private static string Md5(string text) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public void Dispose() => _udp.Dispose();
}
