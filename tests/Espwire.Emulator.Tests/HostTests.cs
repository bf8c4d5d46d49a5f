using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Tests.Support;
using Espwire.Testing;

namespace Espwire.Emulator.Tests;

public class HostTests
{
    [Fact]
    public async Task Count_modules_on_ephemeral_ports_each_its_own_module()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions { TimeScale = 0 },
            Count = 3,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
        });
        Assert.Equal(3, host.Modules.Count);
        Assert.Equal(3, host.Modules.Select(m => m.Endpoint!.Port).Distinct().Count());
        for (var i = 0; i < 3; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host.Modules[i].Endpoint!);
            var end = new HostEnd(client.GetStream());
            await end.SendAsync("AT+CWJAP=\"iptime\",\"admin\"\r\n");
            await end.ReadUntilAsync("OK\r\n");
            await end.SendAsync("AT+CIFSR\r\n");
            Assert.Contains($"+CIFSR:STAIP,\"192.168.0.{138 + i}\"", await end.ReadUntilAsync("OK\r\n"));
        }
    }

    [Fact]
    public async Task Consecutive_ports_from_a_given_port()
    {
        // Two consecutive ports held by the test until it ends: the host binds them beside the held sockets, and no
        // other test's listener is given either in between (see HeldPort).
        var (first, second) = HeldPort.ConsecutiveTcp();
        using var _ = first;
        using var __ = second;
        await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions { TimeScale = 0 },
            Count = 2,
            Listen = new IPEndPoint(IPAddress.Loopback, first.Port),
        });
        Assert.Equal($"socket://127.0.0.1:{first.Port}", host.Modules[0].PortString);
        Assert.Equal($"socket://127.0.0.1:{second.Port}", host.Modules[1].PortString);
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_error()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var e = await Assert.ThrowsAsync<IOException>(() => EmulatorHost.StartAsync(new EmulatorHostOptions { Listen = new IPEndPoint(IPAddress.Loopback, port) }));
        Assert.Contains("--listen", e.Message);
    }

    [Fact]
    public async Task Pace_holds_output_to_the_baud_rate()
    {
        await using var h = await ModuleHarness.StartAsync(new ModuleOptions { Pace = true });
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+UART_CUR=9600,8,1,0,0", "\r\nOK\r\n");
        // AT+GMR's reply with its echo is 147 bytes: at 9600 baud (960 bytes/s) that needs 153 ms on the wire.
        var watch = Stopwatch.StartNew();
        var reply = await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+GMR", "OK\r\n");
        watch.Stop();
        Assert.Equal(147, reply.Length);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(140), $"paced output took only {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task New_host_replaces_the_old_one_and_reset_on_attach_shows_ready()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions { TimeScale = 0, ResetOnAttach = true },
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
        });
        using var first = new TcpClient();
        await first.ConnectAsync(host.Modules[0].Endpoint!);
        await new HostEnd(first.GetStream()).ReadUntilAsync("\r\nready\r\n");
        using var second = new TcpClient();
        await second.ConnectAsync(host.Modules[0].Endpoint!);
        var end = new HostEnd(second.GetStream());
        await end.ReadUntilAsync("\r\nready\r\n");
        Assert.Equal("AT\r\r\n\r\nOK\r\n", await end.CommandAsync("AT"));
        // The first host was detached: it sees its stream end.
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(HostEnd.Timeout);
        int n;
        do n = await first.GetStream().ReadAsync(buffer, cts.Token); while (n > 0);
        Assert.Equal(0, n);
    }

    [Fact]
    public async Task Per_module_options_let_a_demo_mix_counter_and_radar_sketches()
    {
        using var laptop = new Listener();
        await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions
            {
                Mode = BootMode.Sketch,
                TimeScale = 0,
                Sketch = new Sketch.SketchOptions { ServerHost = "127.0.0.1", ServerPort = laptop.Port, MaxReadings = 1 },
            },
            Count = 2,
            PerModule = (i, o) => i == 0 ? o : o with { Sketch = o.Sketch with { Shape = Sketch.ValueShape.Radar, DeviceId = "radar-" + i } },
        });
        var lines = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var client = await laptop.AcceptAsync();
            lines.Add(System.Text.Encoding.ASCII.GetString(await Listener.ReceiveToEndAsync(client)));
        }
        Assert.Contains("0\r\n", lines);
        Assert.Contains(lines, l => l.StartsWith("@id radar-1\r\ndistance=", StringComparison.Ordinal));
    }
}
