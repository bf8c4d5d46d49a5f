// Flashing throughput against the emulator with the line paced at the baud rate (8N1, 10 bits a byte), so the
// numbers compare with a real serial line. Run: dotnet run -c Release --project bench/flasher [-- --size BYTES]
// Re-flash (unchanged sectors skipped by MD5): dotnet run -c Release --project bench/flasher -- --reflash
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Espwire.Emulator;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Rfc2217;
using Espwire.Flasher.Reset;
using Espwire.Flasher.Session;
using Espwire.Ports;

var size = 1 << 20;
for (var i = 0; i < args.Length - 1; i++)
    if (args[i] == "--size") size = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
var resultsPath = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "RESULTS.md"));
if (args.Contains("--reflash")) return await Reflash.RunAsync(resultsPath);

// Real machine code and metadata compress about as firmware does; random bytes would not compress at all.
var corelib = typeof(object).Assembly.Location;
var image = File.ReadAllBytes(corelib).AsSpan(0, size).ToArray();
var compressed = Espwire.Flasher.Flashing.Esp8266Flasher.Compress(image).Length;

var stubFile = Path.Combine(Path.GetTempPath(), $"espwire-bench-stub-{Environment.ProcessId}.json");
var stubText = new byte[7000];
new Random(1).NextBytes(stubText);
File.WriteAllText(stubFile, JsonSerializer.Serialize(new { entry = 0x4010E004u, text = Convert.ToBase64String(stubText), text_start = 0x4010E000u, data = "", data_start = 0x3FFFABA4u }));

var rows = new List<string>();
try
{
    foreach (var baud in new[] { 115200, 921600 })
        foreach (var stub in new[] { false, true })
            rows.Add(await RunAsync(baud, stub));
}
finally
{
    File.Delete(stubFile);
}

var md = new StringBuilder();
md.AppendLine("# Flasher benchmark: effective write rate against the paced emulator");
md.AppendLine();
md.AppendLine("Command: `dotnet run -c Release --project bench/flasher` (writes this file).");
md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (1 min) when the report was written.");
md.AppendLine(CultureInfo.InvariantCulture, $"Image: the first {size} bytes of System.Private.CoreLib.dll (machine code and metadata; zlib level 9 makes it {compressed} bytes, ratio {(double)size / compressed:0.00}).");
md.AppendLine("Link: rfc2217:// on loopback into `espwire emulate`'s module with --pace (both directions run at the baud rate, 10 bits a byte).");
md.AppendLine("Effective = uncompressed bits written / wall time from FLASH_BEGIN to the last block's reply (esptool's definition); ceiling = baud x 8/10.");
md.AppendLine();
md.AppendLine("| mode | baud | Espwire effective kbit/s | fraction of UART ceiling | on-wire payload kbit/s | esptool published (real ESP8266) | Espwire / esptool |");
md.AppendLine("|---|---|---|---|---|---|---|");
foreach (var r in rows) md.AppendLine(r);
md.AppendLine();
md.AppendLine("esptool's figures are from the esptool docs and issues for a real ESP8266 at 115200: ROM 75.9 kbit/s (uncompressed), stub 242.6 kbit/s effective (compressed, 1 MiB image).");
md.AppendLine("There is no published 921600 figure to set beside ours, and esptool itself could not be run here (Debian bookworm has no `esptool` package and PyPI is not reachable from this machine), so the peer column is the published number, not a run on this machine.");
md.AppendLine("On-wire payload = the bytes actually sent (compressed for the stub) per second: how close the protocol gets to the line itself, independent of the image's compressibility. A stub row's ratio to esptool's 242.6 mostly reflects the two images' compression ratios.");
md.AppendLine("Flash timing: with --pace the emulator also makes the flash chip busy for Winbond W25Q32 typical times (sector erase 45 ms, 64 KB block erase 150 ms, page program 0.7 ms per 256 bytes): the ROM erases before answering FLASH_BEGIN and programs before answering each FLASH_DATA; the stub answers first and the next command waits. The ROM row at 115200 is therefore the one to compare with esptool's real-chip 75.9 kbit/s.");
md.AppendLine("Caveats: compressed rates depend on the image's compression ratio; the pacing is wall-clock based (the load average is noted above), so small differences between runs are noise.");
md.AppendLine("ROM at 921600: the ESP8266 ROM detects the baud rate from SYNC, so the host opens the line at 921600 from the start (the ROM has no CHANGE_BAUDRATE); the stub rows start at 115200 and switch with CHANGE_BAUDRATE, as esptool does.");
Reflash.Save(resultsPath, md.ToString(), section: 0);
Console.Write(md.ToString());
return 0;

async Task<string> RunAsync(int baud, bool stub)
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
    var port = $"rfc2217://127.0.0.1:{host.Modules[0].Endpoint!.Port}";
    var openBaud = stub ? 115200 : baud;
    await using var link = await DeviceLink.OpenAsync(port, new LinkOptions { BaudRate = openBaud });
    var options = new FlashSessionOptions
    {
        BaudRate = baud,
        Before = BeforeAction.NoReset,
        After = AfterAction.NoReset,
        StubFile = stub ? stubFile : null,
        NoStub = !stub,
        TimeoutScale = 3,
    };
    await using var session = await FlashSession.StartAsync(link, options);
    var result = await session.Flasher.WriteAsync(0, image);
    var flash = VirtualFlash.For(host.Modules[0].Module.Options.Bootloader);
    if (!flash.Read(0, image.Length).AsSpan().SequenceEqual(image)) throw new InvalidOperationException("The flash does not hold the image.");
    if (stub) await session.Flasher.VerifyAsync(0, image);
    var ceiling = baud * 8 / 10.0 / 1000;
    var published = (baud, stub) switch
    {
        (115200, false) => 75.9,
        (115200, true) => 242.6,
        _ => double.NaN,
    };
    var mode = stub ? $"stub, zlib ({result.CompressedSize} bytes on the wire)" : "ROM, 0x400 blocks";
    var peer = double.IsNaN(published) ? "-" : published.ToString("0.0", CultureInfo.InvariantCulture);
    var ratio = double.IsNaN(published) ? "-" : (result.EffectiveKbps / published).ToString("0.00", CultureInfo.InvariantCulture);
    Console.Error.WriteLine($"{mode} @ {baud}: {result.EffectiveKbps:0.0} kbit/s in {result.Elapsed.TotalSeconds:0.0} s");
    var wire = (result.CompressedSize ?? result.Size) * 8 / result.Elapsed.TotalSeconds / 1000;
    return string.Create(CultureInfo.InvariantCulture,
        $"| {mode} | {baud} | {result.EffectiveKbps:0.0} | {result.EffectiveKbps / ceiling:0.00} of {ceiling:0.0} | {wire:0.0} ({wire / ceiling:0.00}) | {peer} | {ratio} |");
}
