using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Espwire.Emulator;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Rfc2217;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Reset;
using Espwire.Flasher.Session;
using Espwire.Ports;

/// <summary>
/// Re-flash of a 512 KB image against the paced emulator with the stub: a full write (--no-skip) beside a re-flash
/// of the unchanged image and of the image with one sector changed, in one session, as ratios.
/// </summary>
internal static class Reflash
{
    private const string Marker = "## Re-flash: unchanged sectors skipped by MD5";
    private const int ImageSize = 512 * 1024;
    private const int Baud = 115200;

    public static async Task<int> RunAsync(string resultsPath)
    {
        var image = File.ReadAllBytes(typeof(object).Assembly.Location).AsSpan(0, ImageSize).ToArray();
        image[0] = 0xE9;
        var stubFile = Path.Combine(Path.GetTempPath(), $"espwire-bench-reflash-stub-{Environment.ProcessId}.json");
        var stubText = new byte[7000];
        new Random(1).NextBytes(stubText);
        File.WriteAllText(stubFile, JsonSerializer.Serialize(new { entry = 0x4010E004u, text = Convert.ToBase64String(stubText), text_start = 0x4010E000u, data = "", data_start = 0x3FFFABA4u }));
        try
        {
            await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions
            {
                Module = new ModuleOptions
                {
                    Mode = BootMode.Bootloader,
                    TimeScale = 0,
                    Pace = true,
                    Bootloader = new BootloaderOptions { FlashSize = 4 << 20 },
                    BootloaderFactory = RomBootloader.Factory,
                },
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                ConnectionHandler = Rfc2217Server.ServeAsync,
            });
            await using var link = await DeviceLink.OpenAsync($"rfc2217://127.0.0.1:{host.Modules[0].Endpoint!.Port}", new LinkOptions { BaudRate = Baud });
            var options = new FlashSessionOptions { BaudRate = Baud, Before = BeforeAction.NoReset, After = AfterAction.NoReset, StubFile = stubFile, TimeoutScale = 3 };
            await using var session = await FlashSession.StartAsync(link, options);
            var flash = VirtualFlash.For(host.Modules[0].Module.Options.Bootloader);

            var full = await TimeAsync(session, image, skip: false);
            var unchanged = await TimeAsync(session, image, skip: true);
            var fullAgain = await TimeAsync(session, image, skip: false);
            image[200 * 1024 + 17] ^= 0x5A;
            var oneSector = await TimeAsync(session, image, skip: true);
            if (!flash.Read(0, image.Length).AsSpan().SequenceEqual(image)) throw new InvalidOperationException("The flash does not hold the image.");

            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
            var md = new StringBuilder();
            md.AppendLine(Marker);
            md.AppendLine();
            md.AppendLine("Command: `dotnet run -c Release --project bench/flasher -- --reflash` (rewrites this section).");
            md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {load}.");
            md.AppendLine(CultureInfo.InvariantCulture, $"Image: the first {ImageSize} bytes of System.Private.CoreLib.dll (128 sectors of 4 KB). Link: rfc2217:// on loopback, paced at {Baud} baud, stub mode, flash timing on (sector erase 45 ms, page program 0.7 ms, SPI_FLASH_MD5 1 ms per KB).");
            md.AppendLine("Each row is one `FlashSession.WriteAsync` in the same session, including verification; the full write is `--no-skip` (what every write did before).");
            md.AppendLine();
            md.AppendLine("| write | sectors written | seconds | vs full write |");
            md.AppendLine("|---|---|---|---|");
            void Row(string name, (TimeSpan Time, int Written) r) => md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {r.Written} of 128 | {r.Time.TotalSeconds:0.00} | {r.Time.TotalSeconds / full.Time.TotalSeconds:0.000}x |");
            Row("full write, erased flash (--no-skip)", full);
            Row("full write again, unchanged image (--no-skip)", fullAgain);
            Row("re-flash, unchanged image", unchanged);
            Row("re-flash, one sector changed", oneSector);
            md.AppendLine();
            md.AppendLine("The peer: esptool v5.2 skips unchanged sectors the same way (per-region MD5 before writing), but esptool cannot be run here (no PyPI), so there is no esptool column; the full-write rows are Espwire's own earlier behaviour.");
            md.AppendLine("The re-flash cost is one SPI_FLASH_MD5 round trip per sector (about 50 bytes on the wire plus the hash time) and the write and MD5 check of the sectors that changed. The MD5 time per KB is an estimate for the ESP8266 stub, not a measurement on a chip.");
            md.AppendLine("The machine is shared and was loaded by other builds during this run: the figures need a quiet re-run.");
            Save(resultsPath, md.ToString(), section: 1);
            Console.Write(md.ToString());
            return 0;
        }
        finally
        {
            File.Delete(stubFile);
        }
    }

    private static async Task<(TimeSpan Time, int Written)> TimeAsync(FlashSession session, byte[] image, bool skip)
    {
        var clock = Stopwatch.StartNew();
        var results = await session.WriteAsync([new FlashRegion(0, image, "image.bin")], new FlashWriteOptions { SkipUnchangedSectors = skip });
        var r = results[0];
        Console.Error.WriteLine($"skip={skip}: {r.SectorsWritten} sectors written in {clock.Elapsed.TotalSeconds:0.00} s");
        return (clock.Elapsed, r.SectorsWritten);
    }

    /// <summary>RESULTS.md holds the throughput table (section 0) and this one (section 1); each run replaces its own.</summary>
    public static void Save(string path, string text, int section)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        var at = existing.IndexOf(Marker, StringComparison.Ordinal);
        var throughput = at >= 0 ? existing[..at].TrimEnd() + "\n" : existing;
        var reflash = at >= 0 ? existing[at..] : "";
        if (section == 0) throughput = text;
        else reflash = text;
        File.WriteAllText(path, throughput.TrimEnd() + "\n" + (reflash.Length > 0 ? "\n" + reflash : ""));
    }
}
