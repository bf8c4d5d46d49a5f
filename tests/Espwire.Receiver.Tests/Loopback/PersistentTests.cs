using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Server;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

/// <summary>Devices that keep one connection open and stream lines.</summary>
public sealed class PersistentTests
{
    [Fact]
    public async Task One_hundred_thousand_lines_on_one_connection_are_stored_in_order()
    {
        await using var receiver = await TestReceiver.StartAsync();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(receiver.Tcp);
            var text = new StringBuilder();
            for (var i = 0; i < 100_000; i++)
            {
                text.Append(i.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
                if (text.Length > 60_000)
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes(text.ToString()));
                    text.Clear();
                }
            }
            await socket.SendAsync(Encoding.ASCII.GetBytes(text.ToString()));
        }
        await receiver.WaitForStoredAsync(100_000);
        await receiver.StopAsync();
        Assert.Equal(100_000, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings"));
        // In order: the n-th stored row (id and seq) carries the counter n-1.
        Assert.Equal(0, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings WHERE CAST(raw AS INTEGER) != seq - 1 OR id != seq"));
        Assert.Equal(0, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings WHERE value != seq - 1 OR partial != 0"));
    }

    [Fact]
    public async Task A_stalled_half_line_does_not_delay_others_and_the_idle_timeout_closes_it()
    {
        await using var receiver = await TestReceiver.StartAsync(o => o with { IdleTimeout = Espwire.Testing.TestTimeouts.Seconds(2) });
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stalled.ConnectAsync(receiver.Tcp);
        await stalled.SendAsync("12"u8.ToArray());

        // Another device is served while the first one stalls: its reading is stored before the stalled one's
        // half line (checked by the order below), whatever the machine's load.
        await receiver.SendPerMessageAsync("34");
        await receiver.WaitForStoredAsync(1);

        // The server closes the stalled one: our read sees the end of the stream.
        var buffer = new byte[8];
        var read = await stalled.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TestReceiver.Patience);
        Assert.Equal(0, read);
        var notice = await receiver.WaitForNoticeAsync(NoticeKind.IdleTimeout);
        Assert.Contains("--idle-timeout", notice.Message, StringComparison.Ordinal);
        await receiver.WaitForStoredAsync(2);
        await receiver.StopAsync();
        var rows = await receiver.ReadAllAsync();
        Assert.Equal([("34", false), ("12", true)], rows.Select(r => (r.Raw, r.Partial)));
        Assert.Equal(1, receiver.Host.Stats.IdleTimeouts);
    }
}
