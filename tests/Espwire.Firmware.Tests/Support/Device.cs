using Espwire.Testing;

namespace Espwire.Firmware.Tests.Support;

/// <summary>A host-built example sketch running as a process: the shim's knobs set through its environment.</summary>
public static class Device
{
    /// <summary>Starts <paramref name="example"/>; the seed's laptop 192.168.0.40 it writes to (its SERVER_PORT
    /// 12345 included) is mapped by the shim to 127.0.0.1:<paramref name="serverPort"/>, the test's own receiver.</summary>
    public static ChildProcess Start(string buildDir, string example, int serverPort, double timeScale = 0.02, string? wifiFile = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ESPWIRE_SHIM_SERVER"] = $"127.0.0.1:{serverPort}",
            ["ESPWIRE_SHIM_TIME_SCALE"] = timeScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (wifiFile is not null) env["ESPWIRE_SHIM_WIFI_FILE"] = wifiFile;
        return ChildProcess.Start(Path.Combine(buildDir, example), [], env);
    }

    /// <summary>The example's closing line once every reading is acknowledged or dropped: "All N readings done: ...".</summary>
    public const string Done = " readings done: ";

    /// <summary>Waits for the whole closing line (up to its line end) and returns it. Waiting for the text
    /// <see cref="Done"/> alone is not enough: the sketch prints the line in pieces, and a CI run read
    /// "All 80 readings done: " before its counts arrived.</summary>
    public static Task<string> WaitForDoneAsync(ChildProcess device) =>
        device.WaitForLineAsync(line => line.Contains(Done, StringComparison.Ordinal), "the closing line \"All N readings done: ...\"");

    /// <summary>
    /// What a ring that overflowed while the receiver was away must show, once <paramref name="device"/> printed
    /// <see cref="Done"/>: the closing line counts every reading, the stored arrived in order, once each, the last
    /// included, and every missing reading is one the device reported dropped (some are). Fewer can be missing than
    /// reported: a reading stored just before the kill, its ACK lost with the receiver, stays in the ring and may be
    /// dropped later. Neither a lower bound nor one run of missing readings holds: under load the first connect can
    /// outlast the ring too (stressed runs: 31 dropped with 30 missing; 17 dropped with only 0-7, from before the
    /// first connect, missing).
    /// </summary>
    public static void AssertRingOverflowed(ChildProcess device, IReadOnlyList<int> stored, int total)
    {
        var dropped = device.Count("Ring full: dropped the oldest reading");
        var context = $"dropped {dropped}, stored {string.Join(',', stored)}\n{device.AllText}";
        Assert.True(dropped >= 10, context);
        Assert.Single(device.Output, $"All {total} readings done: {total - dropped} acknowledged, {dropped} dropped.");
        Assert.True(stored.Order().SequenceEqual(stored) && stored.Distinct().Count() == stored.Count, context);
        var missing = Enumerable.Range(0, total).Except(stored).Count();
        Assert.True(missing > 0 && missing <= dropped, context);
        Assert.True(stored.Count > 0 && stored[^1] == total - 1, context);
    }
}
