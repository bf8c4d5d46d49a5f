using System.Net.Sockets;
using System.Text;
using Espwire.Emulator.Tests.Support;

namespace Espwire.Emulator.Tests;

/// <summary>CIPSTART/CIPSEND to real loopback listeners, and data back as +IPD and through CIPRECVDATA.</summary>
public class TcpIpTests
{
    private static async Task<ModuleHarness> JoinedAsync(FirmwareDialect dialect)
    {
        var h = await ModuleHarness.StartAsync(dialect);
        await Golden.JoinAsync(h.Host, dialect);
        return h;
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs, "> ")]
    [InlineData(FirmwareDialect.EspAt, "\r\n>")]
    public async Task Cipstart_and_cipsend_deliver_bytes_to_the_laptop_mapped_to_loopback(FirmwareDialect dialect, string prompt)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        var start = $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}";
        var accept = laptop.AcceptAsync();
        Assert.Equal(Golden.Echo(dialect, start) + "CONNECT\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, start, "\r\nOK\r\n"));
        using var peer = await accept;

        await h.Host.SendAsync("AT+CIPSEND=5\r\n");
        Assert.Equal(Golden.Echo(dialect, "AT+CIPSEND=5") + "\r\nOK\r\n" + prompt, await h.Host.ReadUntilAsync(prompt));
        await h.Host.SendAsync("581\r\n");
        Assert.Equal("\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n", await h.Host.ReadUntilAsync("SEND OK\r\n"));
        Assert.Equal("581\r\n", Encoding.ASCII.GetString(await Listener.ReceiveExactlyAsync(peer, 5)));

        await peer.SendAsync("hello"u8.ToArray());
        Assert.Equal("\r\n+IPD,5:hello", await h.Host.ReadUntilAsync("+IPD,5:hello"));

        var status = await Golden.RunAsync(h.Host, dialect, "AT+CIPSTATUS", "\r\nOK\r\n");
        Assert.Matches($"STATUS:3\r\n\\+CIPSTATUS:0,\"TCP\",\"192.168.0.40\",{laptop.Port},\\d+,0\r\n\r\nOK\r\n$", status);

        peer.Shutdown(SocketShutdown.Both);
        Assert.Equal("CLOSED\r\n", await h.Host.ReadUntilAsync("CLOSED\r\n"));
        Assert.EndsWith("STATUS:4\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPSTATUS", "\r\nOK\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Multiplexed_links_send_receive_and_close_by_id(FirmwareDialect dialect)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CIPMUX=1", "\r\nOK\r\n");
        await Golden.RunAsync(h.Host, dialect, "AT+CIPDINFO=1", "\r\nOK\r\n");
        var start = $"AT+CIPSTART=3,\"TCP\",\"127.0.0.1\",{laptop.Port}";
        var accept = laptop.AcceptAsync();
        Assert.Equal(Golden.Echo(dialect, start) + "3,CONNECT\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, start, "\r\nOK\r\n"));
        using var peer = await accept;

        Assert.Equal(Golden.Echo(dialect, start) + "ALREADY CONNECTED\r\n\r\nERROR\r\n", await Golden.RunAsync(h.Host, dialect, start, "\r\nERROR\r\n"));
        Assert.EndsWith("link is builded\r\n\r\nERROR\r\n".Replace("link is builded\r\n", dialect == FirmwareDialect.NonOs ? "link is builded\r\n" : "", StringComparison.Ordinal),
            await Golden.RunAsync(h.Host, dialect, "AT+CIPMUX=0", "\r\nERROR\r\n"));

        await h.Host.SendAsync("AT+CIPSEND=3,4\r\n");
        await h.Host.ReadUntilAsync(dialect == FirmwareDialect.NonOs ? "> " : ">");
        await h.Host.SendAsync("ping");
        await h.Host.ReadUntilAsync("SEND OK\r\n");
        Assert.Equal("ping", Encoding.ASCII.GetString(await Listener.ReceiveExactlyAsync(peer, 4)));

        await peer.SendAsync("pong"u8.ToArray());
        Assert.Equal($"\r\n+IPD,3,4,127.0.0.1,{laptop.Port}:pong", await h.Host.ReadUntilAsync(":pong"));

        Assert.Equal(Golden.Echo(dialect, "AT+CIPCLOSE=3") + "3,CLOSED\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPCLOSE=3", "\r\nOK\r\n"));
        Assert.Empty(await Listener.ReceiveToEndAsync(peer));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs, "+CIPRECVDATA,")]
    [InlineData(FirmwareDialect.EspAt, "+CIPRECVDATA:")]
    public async Task Passive_receive_loses_nothing_of_a_large_transfer(FirmwareDialect dialect, string prefix)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CIPMUX=1", "\r\nOK\r\n");
        await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVMODE=1", "\r\nOK\r\n");
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, dialect, $"AT+CIPSTART=0,\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        using var peer = await accept;

        // More than the passive buffer holds: the emulator must stop reading the socket, not drop bytes.
        var payload = new byte[50_000];
        new Random(7).NextBytes(payload);
        var sending = Task.Run(async () =>
        {
            await peer.SendAsync(payload);
            peer.Shutdown(SocketShutdown.Send);
        });

        var received = new List<byte>();
        await h.Host.ReadUntilAsync("+IPD,0,");
        while (received.Count < payload.Length)
        {
            // Ask how much is waiting; with nothing buffered (we read faster than it came), wait for the next notice.
            var lengths = await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVLEN?", "\r\nOK\r\n");
            if (lengths.Contains("+CIPRECVLEN:0,", StringComparison.Ordinal))
            {
                await h.Host.ReadUntilAsync("+IPD,0,");
                continue;
            }
            await h.Host.SendAsync("AT+CIPRECVDATA=0,2048\r\n");
            await h.Host.ReadUntilAsync(Golden.Echo(dialect, "AT+CIPRECVDATA=0,2048"));
            var head = await h.Host.ReadUntilAsync(prefix);
            _ = head;
            var lengthText = await h.Host.ReadUntilAsync(dialect == FirmwareDialect.NonOs ? ":" : ",");
            var length = int.Parse(lengthText[..^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(length, 1, 2048);
            received.AddRange(await h.Host.ReadExactlyAsync(length));
            await h.Host.ReadUntilAsync("\r\n\r\nOK\r\n");
        }
        await sending;
        Assert.Equal(payload, received.ToArray());
        // The peer closed after sending; the notice comes once the data was all read or earlier, but it comes.
        var status = await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVLEN?", "\r\nOK\r\n");
        Assert.Contains("+CIPRECVLEN:0,0,0,0,0\r\n", status);
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Active_receive_delivers_a_large_transfer_as_ipd_frames_none_lost(FirmwareDialect dialect)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, dialect, $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        using var peer = await accept;
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => i + "\n")));
        await peer.SendAsync(payload);

        var received = new List<byte>();
        while (received.Count < payload.Length)
        {
            await h.Host.ReadUntilAsync("\r\n+IPD,");
            var lengthText = await h.Host.ReadUntilAsync(":");
            var length = int.Parse(lengthText[..^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(length, 1, 1460);
            received.AddRange(await h.Host.ReadExactlyAsync(length));
        }
        Assert.Equal(payload, received.ToArray());
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Cipsendex_ends_data_at_backslash_zero(FirmwareDialect dialect)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, dialect, $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        using var peer = await accept;
        await h.Host.SendAsync("AT+CIPSENDEX=100\r\n");
        await h.Host.ReadUntilAsync(dialect == FirmwareDialect.NonOs ? "> " : ">");
        await h.Host.SendAsync("42\\0");
        Assert.Equal("\r\nRecv 2 bytes\r\n\r\nSEND OK\r\n", await h.Host.ReadUntilAsync("SEND OK\r\n"));
        Assert.Equal("42", Encoding.ASCII.GetString(await Listener.ReceiveExactlyAsync(peer, 2)));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Udp_link_sends_and_receives_datagrams(FirmwareDialect dialect)
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)peer.LocalEndPoint!).Port;
        await using var h = await JoinedAsync(dialect);
        var start = $"AT+CIPSTART=\"UDP\",\"192.168.0.40\",{port}";
        Assert.Equal(Golden.Echo(dialect, start) + "CONNECT\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, start, "\r\nOK\r\n"));
        await h.Host.SendAsync("AT+CIPSEND=3\r\n");
        await h.Host.ReadUntilAsync(dialect == FirmwareDialect.NonOs ? "> " : ">");
        await h.Host.SendAsync("abc");
        await h.Host.ReadUntilAsync("SEND OK\r\n");
        var buffer = new byte[64];
        using var cts = new CancellationTokenSource(HostEnd.Timeout);
        var got = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0), cts.Token);
        Assert.Equal("abc", Encoding.ASCII.GetString(buffer, 0, got.ReceivedBytes));
        await peer.SendToAsync("xyz"u8.ToArray(), SocketFlags.None, got.RemoteEndPoint);
        Assert.Equal("\r\n+IPD,3:xyz", await h.Host.ReadUntilAsync("+IPD,3:xyz"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Cipserver_accepts_clients_as_links(FirmwareDialect dialect)
    {
        await using var h = await JoinedAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CIPMUX=1", "\r\nOK\r\n");
        Assert.Equal(Golden.Echo(dialect, "AT+CIPSERVER=1,0") + "\r\nERROR\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPSERVER=1,0", "\r\nERROR\r\n"));
        Assert.Equal(Golden.Echo(dialect, "AT+CIPSERVER=1") + "\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPSERVER=1", "\r\nOK\r\n"));
        Assert.EndsWith("+CIPSERVER:1,333\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPSERVER?", "\r\nOK\r\n"));
        var endpoint = h.Module.ServerEndpoint!;
        Assert.True(System.Net.IPAddress.IsLoopback(endpoint.Address));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endpoint);
        Assert.Equal("0,CONNECT\r\n", await h.Host.ReadUntilAsync("0,CONNECT\r\n"));
        await client.SendAsync("hi"u8.ToArray());
        Assert.Equal("\r\n+IPD,0,2:hi", await h.Host.ReadUntilAsync("+IPD,0,2:hi"));
        client.Shutdown(SocketShutdown.Both);
        Assert.Equal("0,CLOSED\r\n", await h.Host.ReadUntilAsync("0,CLOSED\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Transparent_mode_passes_bytes_both_ways_until_a_guarded_plus_plus_plus(FirmwareDialect dialect)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CIPMODE=1", "\r\nOK\r\n");
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, dialect, $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        using var peer = await accept;
        await h.Host.SendAsync("AT+CIPSEND\r\n");
        Assert.Equal(Golden.Echo(dialect, "AT+CIPSEND") + "\r\nOK\r\n\r\n>", await h.Host.ReadUntilAsync("\r\n>"));

        // "+++" inside data is data.
        await h.Host.SendAsync("1+++2\r\n");
        Assert.Equal("1+++2\r\n", Encoding.ASCII.GetString(await Listener.ReceiveExactlyAsync(peer, 7)));
        await peer.SendAsync("raw"u8.ToArray());
        Assert.Equal("raw", Encoding.ASCII.GetString(await h.Host.ReadExactlyAsync(3)));

        // A lone +++ after silence leaves transparent mode silently; the link stays up.
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Module.Trace += what => { if (what == "transparent mode left") left.TrySetResult(); };
        await h.Host.SendAsync("+++");
        await left.Task.WaitAsync(HostEnd.Timeout);
        await h.Host.SendAsync("AT\r\n");
        var reply = await h.Host.ReadUntilAsync("OK\r\n");
        Assert.EndsWith("\r\nOK\r\n", reply);
        Assert.EndsWith("+CIPMODE:1\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPMODE?", "\r\nOK\r\n"));
        Assert.Contains("STATUS:3", await Golden.RunAsync(h.Host, dialect, "AT+CIPSTATUS", "\r\nOK\r\n"));
    }

    [Fact]
    public async Task Cipsto_closes_an_idle_server_link()
    {
        // Time scale 0.001: the 1 s timeout passes in about a millisecond of idleness.
        await using var h = await ModuleHarness.StartAsync(new ModuleOptions { TimeScale = 0.001 }, realTime: true);
        await Golden.JoinAsync(h.Host, FirmwareDialect.NonOs);
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CIPMUX=1", "\r\nOK\r\n");
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CIPSERVER=1", "\r\nOK\r\n");
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CIPSTO=1", "\r\nOK\r\n");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(h.Module.ServerEndpoint!);
        Assert.Equal("0,CONNECT\r\n0,CLOSED\r\n", await h.Host.ReadUntilAsync("0,CLOSED\r\n"));
        Assert.Empty(await Listener.ReceiveToEndAsync(client));
    }

    [Fact]
    public async Task Bytes_beyond_the_cipsend_length_get_busy_s_and_are_dropped()
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(FirmwareDialect.NonOs);
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        using var peer = await accept;
        await h.Host.SendAsync("AT+CIPSEND=3\r\n");
        await h.Host.ReadUntilAsync("> ");
        await h.Host.SendAsync("abcdef");
        Assert.Equal("\r\nRecv 3 bytes\r\nbusy s...\r\n\r\nSEND OK\r\n", await h.Host.ReadUntilAsync("SEND OK\r\n"));
        Assert.Equal("abc", Encoding.ASCII.GetString(await Listener.ReceiveExactlyAsync(peer, 3)));
        Assert.Equal("AT\r\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT", "\r\nOK\r\n"));
    }

    [Fact]
    public async Task Cwqap_takes_the_links_down()
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(FirmwareDialect.NonOs);
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CIPMUX=1", "\r\nOK\r\n");
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, $"AT+CIPSTART=2,\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        using var peer = await accept;
        Assert.Equal("AT+CWQAP\r\r\n\r\nOK\r\nWIFI DISCONNECT\r\n2,CLOSED\r\n", await h.Host.CommandAsync("AT+CWQAP", "2,CLOSED\r\n"));
        Assert.Empty(await Listener.ReceiveToEndAsync(peer));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs, "+IPD,5\r\n", "+CIPRECVDATA,3:hel\r\n\r\nOK\r\n", "+CIPRECVDATA,2:lo\r\n\r\nOK\r\n")]
    [InlineData(FirmwareDialect.EspAt, "+IPD,5\r\n", "+CIPRECVDATA:3,hel\r\n\r\nOK\r\n", "+CIPRECVDATA:2,lo\r\n\r\nOK\r\n")]
    public async Task Passive_receive_is_byte_exact_in_single_link_mode(FirmwareDialect dialect, string notice, string first, string second)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVMODE=1", "\r\nOK\r\n");
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, dialect, $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        using var peer = await accept;
        await peer.SendAsync("hello"u8.ToArray());
        Assert.Equal(notice, await h.Host.ReadUntilAsync(notice));
        Assert.Equal(Golden.Echo(dialect, "AT+CIPRECVLEN?") + "+CIPRECVLEN:5,0,0,0,0\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVLEN?", "\r\nOK\r\n"));
        Assert.Equal(Golden.Echo(dialect, "AT+CIPRECVDATA=3") + first, await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVDATA=3", first));
        Assert.Equal(Golden.Echo(dialect, "AT+CIPRECVDATA=100") + second, await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVDATA=100", second));
        Assert.Equal(Golden.Echo(dialect, "AT+CIPRECVDATA=100") + "\r\nERROR\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVDATA=100", "\r\nERROR\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Data_sent_before_the_server_closes_stays_readable_in_passive_mode(FirmwareDialect dialect)
    {
        using var laptop = new Listener();
        await using var h = await JoinedAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVMODE=1", "\r\nOK\r\n");
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, dialect, $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        var peer = await accept;
        await peer.SendAsync("last words"u8.ToArray());
        await h.Host.ReadUntilAsync("+IPD,10\r\n");
        peer.Close();
        await h.Host.ReadUntilAsync("CLOSED\r\n");
        Assert.EndsWith("last words\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPRECVDATA=100", "\r\nOK\r\n"));
        Assert.EndsWith("STATUS:4\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CIPSTATUS", "\r\nOK\r\n"));
    }
}
