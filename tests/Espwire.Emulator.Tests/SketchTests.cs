using System.Text;
using Espwire.Emulator.Sketch;
using Espwire.Emulator.Tests.Support;

namespace Espwire.Emulator.Tests;

/// <summary>The seed's sketch: its serial output and the readings it sends, one connection each.</summary>
public class SketchTests
{
    private const string SeedSerialOutput =
        " Wi-Fi scan result :  1 networks found\n\r\n" +
        "[Wi-Fi 1]  iptime\t\t(-88 dbm)   * encryption *\r\n" +
        "\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 7]\r\n" +
        "Connecting to 'iptime' [status : 3]\r\n" +
        "\nWi-Fi connected.\n\r\n";

    private static ModuleOptions Sketch(int port, SketchOptions? sketch = null) => new()
    {
        Mode = BootMode.Sketch,
        Sketch = (sketch ?? new SketchOptions()) with { ServerPort = port, MaxReadings = (sketch?.MaxReadings) ?? 3 },
    };

    [Fact]
    public async Task Serial_output_matches_the_seeds_log()
    {
        using var laptop = new Listener();
        await using var h = await ModuleHarness.StartAsync(Sketch(laptop.Port), waitForReady: false);
        var boot = await h.Host.ReadUntilAsync("Wi-Fi connected.\n\r\n");
        var start = boot.IndexOf(" Wi-Fi scan result", StringComparison.Ordinal);
        Assert.True(start > 0, "the ROM's boot garbage comes first");
        Assert.Equal(HostEnd.Escape(SeedSerialOutput), HostEnd.Escape(boot[start..]));
    }

    [Fact]
    public async Task Each_reading_is_a_new_connection_carrying_the_counter_line()
    {
        using var laptop = new Listener();
        await using var h = await ModuleHarness.StartAsync(Sketch(laptop.Port), waitForReady: false);
        var ports = new HashSet<int>();
        for (var expected = 0; expected < 3; expected++)
        {
            using var client = await laptop.AcceptAsync();
            ports.Add(((System.Net.IPEndPoint)client.RemoteEndPoint!).Port);
            // The seed's server: recv once, print, close. The sketch closes its side at the end of loop().
            Assert.Equal($"{expected}\r\n", Encoding.ASCII.GetString(await Listener.ReceiveToEndAsync(client)));
        }
        Assert.Equal(3, ports.Count);
    }

    [Fact]
    public async Task Radar_shape_and_device_id_lines()
    {
        using var laptop = new Listener();
        await using var h = await ModuleHarness.StartAsync(Sketch(laptop.Port, new SketchOptions { Shape = ValueShape.Radar, DeviceId = "radar-1", MaxReadings = 2 }), waitForReady: false);
        for (var i = 0; i < 2; i++)
        {
            using var client = await laptop.AcceptAsync();
            var text = Encoding.ASCII.GetString(await Listener.ReceiveToEndAsync(client));
            Assert.Matches(@"^@id radar-1\r\ndistance=\d+\.\d\d,velocity=-?\d+\.\d\r\n$", text);
        }
    }

    [Fact]
    public async Task Unreachable_server_prints_failed_to_connect_and_keeps_counting()
    {
        int port;
        using (var closed = new Listener()) port = closed.Port;
        await using var h = await ModuleHarness.StartAsync(Sketch(port), waitForReady: false);
        await h.Host.ReadUntilAsync("Wi-Fi connected.\n\r\n");
        Assert.Equal("Failed to connect to server.\r\nFailed to connect to server.\r\n",
            await h.Host.ReadUntilAsync("Failed to connect to server.\r\nFailed to connect to server.\r\n"));
    }

    [Fact]
    public async Task Wrong_password_shows_status_6_and_never_connects()
    {
        using var laptop = new Listener();
        await using var h = await ModuleHarness.StartAsync(Sketch(laptop.Port, new SketchOptions { Password = "nope12345" }), waitForReady: false);
        var text = await h.Host.ReadUntilAsync("[status : 6]\r\n");
        Assert.Contains("Connecting to 'iptime' [status : 7]\r\n", text);
        Assert.DoesNotContain("status : 3", text);
    }

    [Fact]
    public async Task Sketch_output_is_observable_without_a_host()
    {
        using var laptop = new Listener();
        await using var module = new VirtualModule(Sketch(laptop.Port) with { TimeScale = 0 });
        var seen = new StringBuilder();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        module.SerialOutput += bytes =>
        {
            lock (seen)
            {
                seen.Append(Encoding.Latin1.GetString(bytes));
                if (seen.ToString().Contains("Wi-Fi connected.", StringComparison.Ordinal)) connected.TrySetResult();
            }
        };
        module.Start();
        await connected.Task.WaitAsync(HostEnd.Timeout);
        using var client = await laptop.AcceptAsync();
        Assert.Equal("0\r\n", Encoding.ASCII.GetString(await Listener.ReceiveToEndAsync(client)));
        Assert.True(module.DroppedOutputBytes > 0);
    }

    [Fact]
    public void Device_names_are_1_based_and_the_seed_alone_sends_none()
    {
        Assert.Null(new SketchOptions().DeviceNameFor(0));
        Assert.Equal("module-3", new SketchOptions { DeviceNamePrefix = "module" }.DeviceNameFor(2));
        Assert.Equal("module-1", new SketchOptions { Kind = SketchKind.Espwire }.DeviceNameFor(0));
        Assert.Equal("sensor", new SketchOptions { DeviceId = "sensor", DeviceNamePrefix = "x" }.DeviceNameFor(4));
    }
}
