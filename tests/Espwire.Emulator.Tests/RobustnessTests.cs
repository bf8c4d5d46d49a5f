using System.Net.Sockets;
using System.Text;
using Espwire.Emulator.Tests.Support;

namespace Espwire.Emulator.Tests;

/// <summary>Garbage, over-long lines, commands during busy states, peers that vanish: answered as the firmware does.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Binary_garbage_gets_error_and_the_next_command_works(FirmwareDialect dialect)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        await h.Host.SendAsync(Golden.Echo(dialect, "x") == "" ? [] : new byte[] { 0x00, 0xFF, 0x80, 0x1B, (byte)'[', 0x7F, (byte)'\r', (byte)'\n' });
        Assert.EndsWith("\r\nERROR\r\n", await h.Host.ReadUntilAsync("ERROR\r\n"));
        Assert.Equal(Golden.Echo(dialect, "AT") + "\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT", "\r\nOK\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Over_long_command_gets_error_and_the_buffer_recovers(FirmwareDialect dialect)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        var longLine = "AT+CWJAP=\"" + new string('x', 300) + "\",\"admin\"";
        var tooLong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Module.Trace += w => { if (w.StartsWith("line longer", StringComparison.Ordinal)) tooLong.TrySetResult(); };
        await h.Host.SendAsync(longLine + "\r\n");
        var reply = await h.Host.ReadUntilAsync("ERROR\r\n");
        Assert.EndsWith("\r\nERROR\r\n", reply);
        await tooLong.Task.WaitAsync(HostEnd.Timeout);
        Assert.Equal(Golden.Echo(dialect, "AT") + "\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT", "\r\nOK\r\n"));
    }

    [Fact]
    public async Task The_limit_is_256_bytes_with_cr_lf()
    {
        await using var h = await ModuleHarness.StartAsync(FirmwareDialect.EspAt);
        var fits = "AT+CWLAP=\"" + new string('s', 254 - 11) + "\"";
        Assert.Equal(254, fits.Length);
        Assert.Equal(fits + "\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, FirmwareDialect.EspAt, fits, "\r\nOK\r\n"));
        var over = "AT+CWLAP=\"" + new string('s', 255 - 11) + "\"";
        Assert.Equal(over + "\r\n\r\nERROR\r\n", await Golden.RunAsync(h.Host, FirmwareDialect.EspAt, over, "\r\nERROR\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Commands_during_a_join_get_busy_p(FirmwareDialect dialect)
    {
        // Real time scale for the join only, so the join is still running when the next commands arrive.
        var world = World.WifiWorld.Default with { Timing = new World.Timing { AssociateMs = 60_000, BootMs = 0 } };
        await using var h = await ModuleHarness.StartAsync(new ModuleOptions { Dialect = dialect, World = world }, realTime: true);
        var join = "AT+CWJAP=\"iptime\",\"admin\"";
        await h.Host.SendAsync(join + "\r\n");
        await h.Host.ReadUntilAsync(Golden.Echo(dialect, join));
        await h.Host.SendAsync("AT\r\nAT+CIFSR\r\n");
        Assert.Equal("busy p...\r\nbusy p...\r\n", await h.Host.ReadUntilAsync("busy p...\r\nbusy p...\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task A_server_that_disconnects_mid_cipsend_gives_closed_and_send_fail(FirmwareDialect dialect)
    {
        using var laptop = new Listener();
        await using var h = await ModuleHarness.StartAsync(dialect);
        await Golden.JoinAsync(h.Host, dialect);
        var accept = laptop.AcceptAsync();
        await Golden.RunAsync(h.Host, dialect, $"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}", "\r\nOK\r\n");
        var peer = await accept;
        await h.Host.SendAsync("AT+CIPSEND=10\r\n");
        await h.Host.ReadUntilAsync(dialect == FirmwareDialect.NonOs ? "> " : ">");
        await h.Host.SendAsync("12345");
        peer.Close();
        Assert.Equal("CLOSED\r\n", await h.Host.ReadUntilAsync("CLOSED\r\n"));
        await h.Host.SendAsync("67890");
        Assert.Equal("\r\nRecv 10 bytes\r\n\r\nSEND FAIL\r\n", await h.Host.ReadUntilAsync("SEND FAIL\r\n"));
        Assert.Equal(Golden.Echo(dialect, "AT") + "\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT", "\r\nOK\r\n"));
    }

    [Fact]
    public async Task A_host_that_disconnects_mid_cipsend_leaves_the_module_serving_the_next_host()
    {
        using var laptop = new Listener();
        await using var host = await Hosting.EmulatorHost.StartAsync(new Hosting.EmulatorHostOptions
        {
            Module = new ModuleOptions { TimeScale = 0 },
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        });
        var endpoint = host.Modules[0].Endpoint!;
        Socket peer;
        using (var first = new TcpClient())
        {
            await first.ConnectAsync(endpoint);
            var end = new HostEnd(first.GetStream());
            await end.SendAsync("AT+CWJAP=\"iptime\",\"admin\"\r\n");
            await end.ReadUntilAsync("OK\r\n");
            var accept = laptop.AcceptAsync();
            await end.SendAsync($"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{laptop.Port}\r\n");
            await end.ReadUntilAsync("OK\r\n");
            peer = await accept;
            await end.SendAsync("AT+CIPSEND=6\r\n");
            await end.ReadUntilAsync("> ");
            await end.SendAsync("abc");
        }
        // The module is still waiting for 3 data bytes: the next host's first bytes complete the send, as on a real board.
        using var second = new TcpClient();
        await second.ConnectAsync(endpoint);
        var next = new HostEnd(second.GetStream());
        await next.SendAsync("def");
        Assert.Equal("\r\nRecv 6 bytes\r\n\r\nSEND OK\r\n", await next.ReadUntilAsync("SEND OK\r\n"));
        Assert.Equal("AT\r\r\n\r\nOK\r\n", await next.CommandAsync("AT"));
        Assert.Null(host.Modules[0].Module.LastFault);
        Assert.Equal("abcdef", Encoding.ASCII.GetString(await Listener.ReceiveExactlyAsync(peer, 6)));
        peer.Dispose();
    }

    [Fact]
    public async Task Cipstart_to_a_non_loopback_address_is_refused_without_touching_the_network()
    {
        var gateway = new Network.NetworkGateway(World.WifiWorld.Default, allowNetwork: false);
        Assert.Null(gateway.Route(System.Net.IPAddress.Parse("10.0.0.1"), 80));
        Assert.Null(gateway.Route(System.Net.IPAddress.Parse("192.168.0.41"), 80));
        Assert.Null(gateway.Route(System.Net.IPAddress.Parse("8.8.8.8"), 53));
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 12345), gateway.Route(System.Net.IPAddress.Parse("192.168.0.40"), 12345));
        Assert.Null(await gateway.ResolveAsync("example.org", CancellationToken.None));
    }

    [Fact]
    public async Task Many_small_fragments_of_a_command_still_parse()
    {
        await using var h = await ModuleHarness.StartAsync(FirmwareDialect.NonOs);
        foreach (var b in Encoding.ASCII.GetBytes("AT+CWMODE?\r\n")) await h.Host.SendAsync([b]);
        Assert.Equal("AT+CWMODE?\r\r\n+CWMODE:1\r\n\r\nOK\r\n", await h.Host.ReadUntilAsync("OK\r\n"));
    }
}
