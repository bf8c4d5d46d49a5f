using System.Globalization;
using Espwire.Emulator.Sketch;
using Espwire.Firmware.Tests.Support;
using Espwire.Testing;

namespace Espwire.Firmware.Tests;

/// <summary>The emulator's <c>--sketch espwire</c> (the library's behaviour in C#) against the protocol-faithful
/// <see cref="FakeReceiver"/>: the same guarantees as the host-built library.</summary>
public sealed class EmulatedSketchTests
{
    private static SketchOptions Espwire(int port, int readings, int ringBytes = 8192, WifiSignal? signal = null) => new()
    {
        Kind = SketchKind.Espwire,
        ServerHost = "127.0.0.1",
        ServerPort = port,
        MaxReadings = readings,
        RingBytes = ringBytes,
        Signal = signal,
    };

    private static IEnumerable<(long, string)> Counting(int n) => Enumerable.Range(0, n).Select(i => ((long)i + 1, i.ToString(CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Hello_then_numbered_readings_byte_for_byte_after_the_receivers_ack()
    {
        using var fake = new FakeReceiver();
        fake.Seed("module-1", 1041);
        await using var m = new SketchModule(Espwire(fake.Port, 3));
        await m.WaitDoneAsync(3);
        Assert.StartsWith("@id module-1 ack\r\n#1042 0\r\n", fake.Wire, StringComparison.Ordinal);
        Assert.Equal([(1042L, "0"), (1043L, "1"), (1044L, "2")], fake.Stored("module-1").Skip(1));
    }

    [Fact]
    public async Task Three_receiver_kills_lose_nothing_and_store_nothing_twice()
    {
        using var fake = new FakeReceiver();
        await using var m = new SketchModule(Espwire(fake.Port, 120));
        for (var round = 1; round <= 3; round++)
        {
            var threshold = 20 * round;
            await Eventually.UntilAsync(() => fake.Stored("module-1").Count >= threshold, $"{threshold} readings", context: () => m.Serial);
            var failed = m.Count("Failed to connect to server.");
            fake.Kill();
            await m.WaitForAsync("Failed to connect to server.", failed + 1);
            var connected = m.Count("Connected to 127.0.0.1:");
            fake.Restart();
            await m.WaitForAsync("Connected to 127.0.0.1:", connected + 1);
        }
        await m.WaitDoneAsync(120);
        Assert.Equal(Counting(120), fake.Stored("module-1"));
        Assert.Equal(120, m.Counters.Acknowledged);
    }

    [Fact]
    public async Task Receiver_away_longer_than_the_ring_holds_drops_the_oldest_and_says_so()
    {
        using var fake = new FakeReceiver();
        // 64 bytes: 16 one-digit readings or fewer two-digit ones.
        await using var m = new SketchModule(Espwire(fake.Port, 60, ringBytes: 64));
        await Eventually.UntilAsync(() => fake.Stored("module-1").Count >= 3, "3 readings", context: () => m.Serial);
        fake.Kill();
        await m.WaitForAsync("Ring full: dropped the oldest reading (8 dropped so far).");
        fake.Restart();
        await m.WaitDoneAsync(60);
        var stored = fake.Stored("module-1").Select(r => int.Parse(r.Payload, CultureInfo.InvariantCulture)).ToList();
        var dropped = (int)m.Counters.Dropped;
        Assert.Equal(dropped, m.Count("Ring full: dropped the oldest reading"));
        Assert.Equal(stored.Order(), stored);
        Assert.Equal(stored.Distinct(), stored);
        var missing = Enumerable.Range(0, 60).Except(stored).ToList();
        Assert.True(missing.Count <= dropped && missing.Count >= dropped - 3, $"missing {string.Join(',', missing)}, dropped {dropped}");
        Assert.Equal(Enumerable.Range(missing[0], missing.Count), missing);
        Assert.Equal(59, stored[^1]);
    }

    [Fact]
    public async Task Wifi_lost_and_back_loses_nothing()
    {
        using var fake = new FakeReceiver();
        var signal = new WifiSignal();
        await using var m = new SketchModule(Espwire(fake.Port, 80, signal: signal));
        await Eventually.UntilAsync(() => fake.Stored("module-1").Count >= 15, "15 readings", context: () => m.Serial);
        signal.Drop();
        await m.WaitForAsync("Wi-Fi lost; readings are kept until it is back.");
        signal.Restore();
        await m.WaitForAsync("Wi-Fi connected again as 192.168.0.138");
        await m.WaitDoneAsync(80);
        Assert.Equal(Counting(80), fake.Stored("module-1"));
    }
}
