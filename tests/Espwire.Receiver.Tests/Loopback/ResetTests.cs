using System.Net.Sockets;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

/// <summary>A device that sends and then resets (the ESP8266 core's <c>WiFiClient::abort()</c>, a reboot, a Wi-Fi
/// drop): Linux hands the bytes to the reader before it reports the reset, so every complete line must be stored.</summary>
public sealed class ResetTests
{
    [Fact]
    public async Task A_line_then_a_reset_two_hundred_times_stores_every_line()
    {
        const int count = 200;
        await using var receiver = await TestReceiver.StartAsync();
        for (var i = 0; i < count; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(receiver.Tcp);
            await socket.SendAsync("good\r\n"u8.ToArray());
            socket.LingerState = new LingerOption(true, 0); // close sends RST, not FIN
            socket.Close();
        }
        await receiver.WaitForStoredAsync(count);
        await receiver.StopAsync();
        Assert.Equal(count, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings WHERE raw = 'good' AND partial = 0"));
        Assert.Equal(count, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings"));
    }

    [Fact]
    public async Task The_unterminated_rest_before_a_reset_is_stored_as_partial_and_the_reset_counted()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(receiver.Tcp);
            await socket.SendAsync("1\r\n2\r\nhal"u8.ToArray());
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        await receiver.WaitForStoredAsync(3);
        await receiver.StopAsync();
        var rows = await receiver.ReadAllAsync();
        Assert.Equal([("1", false), ("2", false), ("hal", true)], rows.Select(r => (r.Raw, r.Partial)));
        Assert.Equal(1, receiver.Host.Stats.ConnectionResets);
        Assert.Equal(1, receiver.Host.Stats.PartialLines);
    }
}
