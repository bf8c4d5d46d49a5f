using System.Diagnostics;
using System.Globalization;
using System.Net;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

/// <summary>The seed's sketch over real loopback sockets: one connection per reading.</summary>
public sealed class PerMessageTests
{
    [Fact]
    public async Task Five_hundred_clients_in_parallel_are_all_stored()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(() => receiver.SendPerMessageAsync("581"))));
        await receiver.WaitForStoredAsync(500);
        await receiver.StopAsync();
        var rows = await receiver.ReadAllAsync();
        Assert.Equal(500, rows.Count);
        Assert.All(rows, r => Assert.Equal(("127.0.0.1", "581"), (r.Device, r.Raw)));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), rows.Select(r => r.Seq));
        Assert.Equal(500, receiver.Host.Stats.ConnectionsAccepted);
    }

    [Fact]
    public async Task Fifty_devices_sending_ten_readings_each_keep_their_order()
    {
        // Each device is its own loopback source address, as each ESP-12F has its own IP; the sketch sends
        // num++ on a new connection each time, so a device's connections follow one another.
        await using var receiver = await TestReceiver.StartAsync();
        var devices = Enumerable.Range(10, 50).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray();
        await Task.WhenAll(devices.Select(address => Task.Run(async () =>
        {
            for (var n = 0; n < 10; n++) await receiver.SendPerMessageAsync((580 + n).ToString(CultureInfo.InvariantCulture), address);
        })));
        await receiver.WaitForStoredAsync(500);
        await receiver.StopAsync();
        var rows = await receiver.ReadAllAsync();
        Assert.Equal(500, rows.Count);
        foreach (var device in rows.GroupBy(r => r.Device))
        {
            Assert.Contains(device.Key, devices.Select(d => d.ToString()));
            Assert.Equal(Enumerable.Range(580, 10).Select(n => n.ToString(CultureInfo.InvariantCulture)), device.Select(r => r.Raw));
            Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), device.Select(r => r.Seq));
        }
        Assert.Equal(50, rows.Select(r => r.Device).Distinct().Count());
    }

    [Fact]
    public async Task A_python_client_with_the_seeds_socket_calls_is_stored_in_order()
    {
        await using var receiver = await TestReceiver.StartAsync();
        // The seed's socket calls (socket.socket(AF_INET, SOCK_STREAM), connect, send, close), as its sketch's loop.
        var script = $$"""
            import socket
            server_ip = "127.0.0.1"
            server_port = {{receiver.Tcp.Port}}
            for num in range(581, 591):
                client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                client_socket.connect((server_ip, server_port))
                client_socket.send(f"{num}\r\n".encode("utf-8"))
                client_socket.shutdown(socket.SHUT_WR)
                client_socket.recv(1024)
                client_socket.close()
            """;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(script);
        python.StandardInput.Close();
        var stderr = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TestReceiver.Patience);
        Assert.True(python.ExitCode == 0, await stderr);
        await receiver.WaitForStoredAsync(10);
        await receiver.StopAsync();
        var rows = await receiver.ReadAllAsync();
        Assert.Equal(Enumerable.Range(581, 10).Select(n => n.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r.Raw));
        Assert.All(rows, r => Assert.Equal("127.0.0.1", r.Device));
    }
}
