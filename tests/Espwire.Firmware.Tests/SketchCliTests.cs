using Espwire.Firmware.Tests.Support;
using Espwire.Testing;

namespace Espwire.Firmware.Tests;

/// <summary>`espwire emulate --mode sketch` and `espwire demo` as a user runs them (the CLI as a child process):
/// distinct device names, progress from the first second, failures that say why and what to pass.</summary>
public sealed class SketchCliTests
{
    [Fact]
    public async Task Emulate_names_each_module_1_based_and_shows_its_progress()
    {
        using var fake = new FakeReceiver();
        using var emulate = ChildProcess.Espwire("emulate", "--mode", "sketch", "--count", "3", "--listen", "127.0.0.1:0",
            "--server", $"127.0.0.1:{fake.Port}", "--time-scale", "0.02");
        await Eventually.UntilAsync(() => Enumerable.Range(1, 3).All(i => fake.Wire.Contains($"@id module-{i}\r\n", StringComparison.Ordinal)), "three named modules",
            context: () => emulate.AllText + "\n---\n" + fake.Wire);
        Assert.DoesNotContain("@id module-0", fake.Wire, StringComparison.Ordinal);
        await emulate.WaitForTextAsync($"module 3 (module-3): sending to 127.0.0.1:{fake.Port}");
        await emulate.WaitForTextAsync("Ctrl+C stops.");
        var output = emulate.AllText;
        Assert.Contains("module 1 (module-1): scanning for Wi-Fi networks", output, StringComparison.Ordinal);
        Assert.Contains("module 1 (module-1): joined 'iptime' as 192.168.0.138", output, StringComparison.Ordinal);
        Assert.Contains("module 2 (module-2): joined 'iptime' as 192.168.0.139", output, StringComparison.Ordinal);
        Assert.Matches(@"3\s*\S\s*socket://127\.0\.0\.1:\d+\s*\S\s*-\s*\S\s*sketch \(seed\)\s*\S\s*module-3", output);  // the table's device column
        await emulate.StopAsync(Signal.Interrupt);
    }

    [Fact]
    public async Task Device_id_still_names_them_numbered_from_1()
    {
        using var fake = new FakeReceiver();
        using var emulate = ChildProcess.Espwire("emulate", "--mode", "sketch", "--count", "2", "--listen", "127.0.0.1:0",
            "--server", $"127.0.0.1:{fake.Port}", "--time-scale", "0.02", "--device-id", "sensor");
        await Eventually.UntilAsync(() => fake.Wire.Contains("@id sensor-1\r\n", StringComparison.Ordinal) && fake.Wire.Contains("@id sensor-2\r\n", StringComparison.Ordinal),
            "sensor-1 and sensor-2", context: () => emulate.AllText + "\n---\n" + fake.Wire);
        await emulate.StopAsync(Signal.Interrupt);
    }

    [Fact]
    public async Task Progress_shows_before_the_join_completes_at_real_time()
    {
        using var fake = new FakeReceiver();
        // Real time: the scan and join take 6.6 s, and the user sees the scan at once, not silence.
        using var emulate = ChildProcess.Espwire("emulate", "--mode", "sketch", "--listen", "127.0.0.1:0", "--server", $"127.0.0.1:{fake.Port}");
        await emulate.WaitForTextAsync("module 1 (module-1): scanning for Wi-Fi networks");
        Assert.DoesNotContain("joined 'iptime'", emulate.AllText, StringComparison.Ordinal);
        await emulate.WaitForTextAsync("module 1 (module-1): found 1 network; joining 'iptime'");
        await emulate.WaitForTextAsync("module 1 (module-1): joined 'iptime' as 192.168.0.138");
        await emulate.StopAsync(Signal.Interrupt);
    }

    [Fact]
    public async Task A_refused_server_is_explained_once_and_following_the_hint_works()
    {
        // Held by the test and not listening: refused until the test's own receiver binds it (beside the held
        // socket), and no other test is given the port in between.
        using var held = HeldPort.Tcp();
        var port = held.Port;
        using var emulate = ChildProcess.Espwire("emulate", "--mode", "sketch", "--listen", "127.0.0.1:0", "--server", $"127.0.0.1:{port}",
            "--time-scale", "0.02", "--show-serial");
        var why = $"module 1 (module-1): cannot reach the server 127.0.0.1:{port}: nothing accepts connections at 127.0.0.1:{port}. " +
            $"Start the receiver there (espwire serve --tcp 127.0.0.1:{port}) or pass --server HOST:PORT where it listens.";
        await emulate.WaitForTextAsync(why);
        await emulate.WaitForTextAsync("Failed to connect to server.", 4);
        Assert.Equal(1, emulate.Count(why));
        // Follow the hint: a receiver on that port, and the module gets through.
        using var fake = new FakeReceiver(port);
        await emulate.WaitForTextAsync($"module 1 (module-1): reached the server 127.0.0.1:{port} again");
        await Eventually.UntilAsync(() => fake.Wire.Contains("@id module-1\r\n", StringComparison.Ordinal), "a reading", context: () => emulate.AllText);
        await emulate.StopAsync(Signal.Interrupt);
    }

    [Fact]
    public async Task A_server_outside_the_world_says_what_to_pass()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737), never routed; the emulator refuses it before any socket is opened.
        using var emulate = ChildProcess.Espwire("emulate", "--mode", "sketch", "--listen", "127.0.0.1:0", "--server", "192.0.2.1:12345", "--time-scale", "0.02");
        await emulate.WaitForTextAsync("module 1 (module-1): cannot reach the server 192.0.2.1:12345: 192.0.2.1 is not the laptop or any LAN host of the world, " +
            "and the emulator does not reach real networks. Pass --server 192.168.0.40:PORT (mapped to 127.0.0.1) or 127.0.0.1:PORT, or --allow-network.");
        await emulate.StopAsync(Signal.Interrupt);
    }

    [Fact]
    public async Task Demo_shows_progress_and_its_time_scale_speeds_readings_up_as_emulate_does()
    {
        using var demo = ChildProcess.Espwire("demo", "--port", "0", "--count", "2", "--time-scale", "0.02", "--interval", "1", "--duration", "5");
        Assert.Equal(0, await demo.WaitForExitAsync());
        var output = demo.AllText;
        Assert.Contains("module 1: scanning for Wi-Fi networks", output, StringComparison.Ordinal);
        Assert.Contains("module 2 (radar-1): joined 'iptime' as 192.168.0.139", output, StringComparison.Ordinal);
        Assert.Contains("module 1: sending to 127.0.0.1:", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("module 1: scanning", StringComparison.Ordinal) < output.IndexOf("Received data : 0", StringComparison.Ordinal), output);
        // 1 s of module time at 0.02 is 20 ms: far more than the 5 readings real seconds would give.
        Assert.Contains("Received data : 30\n", output, StringComparison.Ordinal);
    }
}
