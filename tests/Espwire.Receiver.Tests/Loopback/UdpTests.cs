using System.Net.Sockets;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

public sealed class UdpTests
{
    [Fact]
    public async Task Datagrams_with_one_and_with_several_lines_are_stored()
    {
        await using var receiver = await TestReceiver.StartAsync();
        Reading? last = null;
        receiver.Host.ReadingStored += r => last = r;
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            await udp.SendToAsync("581"u8.ToArray(), receiver.Udp);
            await receiver.WaitForStoredAsync(1);
            await udp.SendToAsync("@id radar-1\n1\r\n2\r\nt=3,h=4"u8.ToArray(), receiver.Udp);
            await receiver.WaitForStoredAsync(4);
        }
        await receiver.StopAsync();
        Assert.NotNull(last);
        Assert.Equal(("radar-1", "t=3,h=4", Transport.Udp, 3L), (last.Device, last.Raw, last.Transport, last.Sequence));
        var rows = await receiver.ReadAllAsync();
        Assert.Equal([("127.0.0.1", "581", false), ("radar-1", "1", false), ("radar-1", "2", false), ("radar-1", "t=3,h=4", false)],
            rows.Select(r => (r.Device, r.Raw, r.Partial)));
        Assert.Equal(2, receiver.Host.Stats.UdpDatagrams);
        Assert.Equal(1, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings WHERE transport = 'udp' AND format = 'kv' AND values_json = '{\"t\":3,\"h\":4}'"));
    }
}
