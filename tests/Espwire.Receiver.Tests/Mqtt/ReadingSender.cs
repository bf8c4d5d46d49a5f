using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Espwire.Receiver.Tests.Mqtt;

/// <summary>A device on one persistent TCP connection: names itself, sends numbered lines, closes.</summary>
internal static class ReadingSender
{
    public static async Task SendAsync(IPEndPoint receiver, string device, int from, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(receiver);
        var text = new StringBuilder($"@id {device}\n");
        for (var i = from; i < from + count; i++) text.Append("n=").Append(i).Append('\n');
        await socket.SendAsync(Encoding.ASCII.GetBytes(text.ToString()));
        socket.Shutdown(SocketShutdown.Send);
        var buffer = new byte[16];
        while (await socket.ReceiveAsync(buffer.AsMemory()) > 0) { }
    }
}
