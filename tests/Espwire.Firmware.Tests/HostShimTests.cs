using System.Globalization;
using Espwire.Firmware.Tests.Support;
using Espwire.Testing;

namespace Espwire.Firmware.Tests;

/// <summary>The library's examples built for Linux against the host shim, streaming to the protocol-faithful
/// <see cref="FakeReceiver"/>: receiver kills, a ring that overflows, Wi-Fi drops, per-message and UDP modes.</summary>
public sealed class HostShimTests
{
    private const int Readings = 150;

    private static string Name(int i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Serial_output_starts_as_the_seeds_log()
    {
        var build = await FirmwareBuild.GetAsync(FirmwareBuild.Bounded);
        using var fake = new FakeReceiver();
        using var device = Device.Start(build, "SeedCounter", fake.Port);
        await device.WaitForTextAsync("Sending to 192.168.0.40:12345 as seed-counter");
        var expected =
            " Wi-Fi scan result :  1 networks found\n\r\n" +
            "[Wi-Fi 1]  iptime\t\t(-88 dbm)   * encryption *\r\n" +
            "\r\n" +
            string.Concat(Enumerable.Repeat("Connecting to 'iptime' [status : 7]\r\n", 8)) +
            "Connecting to 'iptime' [status : 3]\r\n" +
            "\nWi-Fi connected.\n\r\n";
        Assert.StartsWith(expected, device.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fresh_boot_numbers_its_readings_after_the_hello_ack_byte_for_byte()
    {
        var build = await FirmwareBuild.GetAsync(FirmwareBuild.Bounded);
        using var fake = new FakeReceiver();
        fake.Seed("seed-counter", 1041);
        using var device = Device.Start(build, "SeedCounter", fake.Port);
        // The seeded 1041 plus three new readings.
        await Eventually.UntilAsync(() => fake.Stored("seed-counter").Count >= 4, "three readings");
        Assert.True(fake.Wire.StartsWith("@id seed-counter ack\r\n#1042 0\r\n#1043 1\r\n#1044 2\r\n", StringComparison.Ordinal), fake.Wire + "\n---\n" + device.AllText);
        Assert.Equal([(1042L, "0"), (1043L, "1"), (1044L, "2")], fake.Stored("seed-counter").Skip(1).Take(3));
    }

    [Theory]
    [InlineData("SeedCounter")]
    [InlineData("SeedCounterPerMessage")]
    public async Task Three_receiver_kills_lose_nothing_and_store_nothing_twice(string example)
    {
        var build = await FirmwareBuild.GetAsync(FirmwareBuild.Bounded);
        using var fake = new FakeReceiver();
        using var device = Device.Start(build, example, fake.Port);
        await KillThreeTimesAsync(fake, device, "seed-counter");
        var done = await Device.WaitForDoneAsync(device);
        Assert.Equal(Enumerable.Range(0, Readings).Select(i => ((long)i + 1, Name(i))), fake.Stored("seed-counter"));
        Assert.Equal($"All {Readings} readings done: {Readings} acknowledged, 0 dropped.", done);
    }

    [Fact]
    public async Task RadarSensor_survives_three_receiver_kills()
    {
        var build = await FirmwareBuild.GetAsync(FirmwareBuild.Bounded);
        using var fake = new FakeReceiver();
        using var device = Device.Start(build, "RadarSensor", fake.Port);
        await KillThreeTimesAsync(fake, device, "radar-1");
        await Device.WaitForDoneAsync(device);
        var stored = fake.Stored("radar-1");
        Assert.Equal(Enumerable.Range(1, Readings).Select(i => (long)i), stored.Select(r => r.Seq));
        Assert.All(stored, r => Assert.Matches(@"^distance=\d\.\d\d,velocity=-?\d\.\d$", r.Payload));
        // The payloads are the example's formula, in order: the first is sin(0), cos(0).
        Assert.Equal("distance=1.50,velocity=1.0", stored[0].Payload);
    }

    [Fact]
    public async Task Udp_mode_resends_across_a_receiver_kill()
    {
        var build = await FirmwareBuild.GetAsync(FirmwareBuild.Bounded);
        using var fake = new FakeReceiver(udp: true);
        using var device = Device.Start(build, "SeedCounterUdp", fake.Port);
        await Eventually.UntilAsync(() => fake.Stored("seed-counter").Count >= 20, "20 readings over UDP");
        fake.Kill();
        await device.WaitForTextAsync("Failed to connect to server.");
        fake.Restart();
        await Device.WaitForDoneAsync(device);
        Assert.Equal(Enumerable.Range(0, Readings).Select(i => ((long)i + 1, Name(i))), fake.Stored("seed-counter"));
        // Every datagram starts with the hello.
        Assert.All(fake.Wire.Split("@id seed-counter ack\r\n", StringSplitOptions.RemoveEmptyEntries), d => Assert.StartsWith("#", d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receiver_away_longer_than_the_ring_holds_drops_the_oldest_counts_and_reports_them()
    {
        var build = await FirmwareBuild.GetAsync(FirmwareBuild.SmallRing);
        using var fake = new FakeReceiver();
        using var device = Device.Start(build, "SeedCounter", fake.Port);
        await Eventually.UntilAsync(() => fake.Stored("seed-counter").Count >= 5, "5 readings");
        fake.Kill();
        await device.WaitForTextAsync("Ring full: dropped the oldest reading (10 dropped so far).");
        fake.Restart();
        await Device.WaitForDoneAsync(device);

        var stored = fake.Stored("seed-counter").Select(r => int.Parse(r.Payload, CultureInfo.InvariantCulture)).ToList();
        Device.AssertRingOverflowed(device, stored, 80);
    }

    [Fact]
    public async Task Wifi_lost_and_back_loses_nothing()
    {
        var build = await FirmwareBuild.GetAsync(FirmwareBuild.Bounded);
        var control = Path.Combine(Directory.CreateTempSubdirectory("espwire-wifi-").FullName, "wifi");
        using var fake = new FakeReceiver();
        using var device = Device.Start(build, "SeedCounter", fake.Port, wifiFile: control);
        await Eventually.UntilAsync(() => fake.Stored("seed-counter").Count >= 20, "20 readings");
        await File.WriteAllTextAsync(control, "down");
        await device.WaitForTextAsync("Wi-Fi lost; readings are kept until it is back.");
        await device.WaitForTextAsync("Failed to connect to server.");
        await File.WriteAllTextAsync(control, "up");
        await device.WaitForTextAsync("Wi-Fi connected again as 192.168.0.138");
        await Device.WaitForDoneAsync(device);
        Assert.Equal(Enumerable.Range(0, Readings).Select(i => ((long)i + 1, Name(i))), fake.Stored("seed-counter"));
    }

    private static async Task KillThreeTimesAsync(FakeReceiver fake, ChildProcess device, string name)
    {
        for (var round = 1; round <= 3; round++)
        {
            var threshold = 25 * round;
            await Eventually.UntilAsync(() => fake.Stored(name).Count >= threshold, $"{threshold} readings", context: () => device.AllText);
            var failed = device.Count("Failed to connect to server.");
            fake.Kill();
            // The device noticed and is retrying while the receiver is away; then it is back.
            await device.WaitForTextAsync("Failed to connect to server.", failed + 1);
            var connected = device.Count("Connected to 192.168.0.40:12345");
            fake.Restart();
            await device.WaitForTextAsync("Connected to 192.168.0.40:12345", connected + 1);
        }
    }
}
