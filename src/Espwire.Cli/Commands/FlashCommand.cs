using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Espwire.Cli.Flash;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Restore;
using Espwire.Flasher.Session;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire flash</c>: the ESP8266 ROM bootloader from any OS, with esptool's verbs and lines.</summary>
internal static class FlashCommand
{
    public static Command Create()
    {
        var o = new FlashCliOptions();
        var command = new Command("flash",
            "Flash an ESP8266 through its ROM serial bootloader (GPIO0 low at reset), as esptool does, from any OS.\n" +
            "A flasher stub (esptool's JSON, --stub FILE or found in a local esptool / Arduino ESP8266 core) makes it faster and lets it verify.\n\n" +
            "Examples:\n" +
            "  espwire flash info --port /dev/ttyUSB0\n" +
            "  espwire flash write --port /dev/ttyUSB0 --baud 460800 0x0 firmware.bin\n" +
            "  espwire flash restore-at ESP8266_NonOS_AT_Bin_V1.7.5 --port /dev/ttyUSB0   (AT commands work again)\n" +
            "  espwire flash read --port socket://127.0.0.1:4000 --before no-reset 0x0 0x100000 backup.bin\n" +
            "  espwire emulate --mode bootloader   then   espwire flash info --port socket://127.0.0.1:4000\n" +
            "  espwire emulate --rfc2217           then   espwire flash write --port rfc2217://127.0.0.1:4000 0x0 app.bin   (DTR/RTS reset it)\n\n" +
            "socket:// and pseudo-terminals carry no DTR/RTS: the module must already be in download mode (GPIO0 low), as in the seed's wiring.");
        foreach (var option in o.All) command.Options.Add(option);
        command.Subcommands.Add(Info(o));
        command.Subcommands.Add(Write(o));
        command.Subcommands.Add(Read(o));
        command.Subcommands.Add(Erase(o));
        command.Subcommands.Add(Verify(o));
        command.Subcommands.Add(RestoreAt(o));
        command.Subcommands.Add(StubInfo(o));
        return command;
    }

    private delegate Task<int> SessionWork<T>(FlashSession session, FlashVerbOptions settings, FlashOutput output, T input, CancellationToken ct);

    /// <summary>
    /// The shape every verb shares: check options and arguments (usage errors before touching the device), open a
    /// session, do the work, run --after.
    /// </summary>
    private static void Run<T>(Command command, FlashCliOptions o, Func<ParseResult, T> prepare, SessionWork<T> work, bool writesFlash = false)
    {
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var settings = FlashVerbOptions.From(pr, o);
            var input = prepare(pr);
            var output = new FlashOutput(pr.InvocationConfiguration.Output, settings.Json);
            await using var session = await FlashSession.OpenAsync(settings.Port, settings.Session, output.Log, ct).ConfigureAwait(false);
            var rc = await work(session, settings, output, input, ct).ConfigureAwait(false);
            output.WriteLine("");
            output.WriteLine("Leaving...");
            await session.FinishAsync(output.Log, ct, writesFlash).ConfigureAwait(false);
            return rc;
        });
    }

    private static Command Info(FlashCliOptions o)
    {
        var command = new Command("info", "Chip, crystal, MAC, flash id and size (esptool's chip_id + flash_id).\n\nExample:\n  espwire flash info --port /dev/ttyUSB0");
        Run(command, o, pr => pr.InvocationConfiguration.Output, async (session, settings, output, writer, ct) =>
        {
            var chip = session.Chip;
            if (settings.Json)
            {
                var json = JsonSerializer.Serialize(new
                {
                    chip = chip.ChipName,
                    features = chip.Features,
                    crystalMHz = chip.CrystalMHz,
                    mac = chip.Mac,
                    flashId = chip.Flash is { } f ? $"0x{f.Raw:x6}" : null,
                    manufacturer = chip.Flash is { } m ? $"{m.Manufacturer:x2}" : null,
                    device = chip.Flash is { } dv ? $"{dv.Device:x4}" : null,
                    flashSize = chip.Flash?.Size?.Name,
                    stub = session.IsStub,
                    efuses = chip.Efuses.Select(e => $"0x{e:x8}"),
                });
                await writer.WriteLineAsync(json).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            if (chip.Flash is { } id)
            {
                output.WriteLine($"Manufacturer: {id.Manufacturer:x2}");
                output.WriteLine($"Device: {id.Device:x4}");
                output.WriteLine($"Detected flash size: {id.Size?.Name ?? "Unknown"}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Write(FlashCliOptions o)
    {
        var pairs = new Argument<string[]>("ADDR FILE") { Description = "Address and file pairs: 0x0 boot.bin 0x1000 user1.bin.", Arity = ArgumentArity.OneOrMore };
        var noSkip = new Option<bool>("--no-skip") { Description = "Write every sector. By default, with the stub, sectors whose MD5 already matches the file are skipped." };
        var force = new Option<bool>("--force") { Description = "Write at 0x0 even when the file does not start like an ESP8266 image (0xE9)." };
        var command = new Command("write",
            "Write files to flash: erase, write (compressed with the stub), verify each by MD5. An image written at 0x0 gets --flash-mode/--flash-size/--flash-freq.\n" +
            "With the stub, each 4 KB sector is compared by MD5 first and only the sectors that differ are written (a re-flash of the same image takes seconds); --no-skip writes all.\n\n" +
            "Examples:\n  espwire flash write --port /dev/ttyUSB0 0x0 sketch.bin\n  espwire flash write --port /dev/ttyUSB0 --flash-size detect 0x0 boot_v1.7.bin 0x1000 user1.2048.new.5.bin\n  espwire flash write --no-skip 0x0 sketch.bin   (rewrite every sector)")
        { pairs, noSkip, force };
        Run(command, o, pr =>
        {
            var regions = FlashRegionFile.Parse(pr.GetValue(pairs) ?? []).Select(r => r.ToRegion()).ToList();
            if (!pr.GetValue(force) && regions.Select(r => r.NotAnImageAtZero()).FirstOrDefault(w => w is not null) is { } warning)
                throw new UsageException($"{warning}: written at 0x0 the module will not boot. Check the file and the address; pass --force to write it anyway.");
            return (Regions: regions, SkipUnchanged: !pr.GetValue(noSkip), Writer: pr.InvocationConfiguration.Output);
        }, async (session, settings, output, input, ct) =>
        {
            var options = new FlashWriteOptions { Header = settings.Header(), SkipUnchangedSectors = input.SkipUnchanged };
            var results = await session.WriteAsync(input.Regions, options, new FlashWriteView(output), ct).ConfigureAwait(false);
            if (settings.Json)
            {
                await input.Writer.WriteLineAsync(JsonSerializer.Serialize(results.Select(r => new
                {
                    address = $"0x{r.Region.Address:x8}",
                    bytes = r.Region.Data.Length,
                    written = r.Write?.Size ?? 0,
                    compressed = r.Write?.CompressedSize,
                    seconds = Math.Round(r.Write?.Elapsed.TotalSeconds ?? 0, 3),
                    effectiveKbps = Math.Round(r.Write?.EffectiveKbps ?? 0, 1),
                    retries = r.Write?.Retries ?? 0,
                    sectors = r.Sectors,
                    sectorsSkipped = r.SectorsSkipped,
                    verified = r.Verified,
                }))).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }, writesFlash: true);
        return command;
    }

    private static Command Read(FlashCliOptions o)
    {
        var address = new Argument<string>("ADDR") { Description = "Start address, e.g. 0x0." };
        var size = new Argument<string>("SIZE") { Description = "Bytes to read, e.g. 0x100000 (1 MB)." };
        var file = new Argument<FileInfo>("FILE") { Description = "Where to save what was read." };
        var command = new Command("read", "Read flash to a file (needs the stub); the stub's MD5 of the region is checked.\n\nExample:\n  espwire flash read --port /dev/ttyUSB0 0x0 0x400000 backup.bin") { address, size, file };
        Run(command, o, pr =>
        {
            var args = (Address: FlashVerbOptions.ParseAddress(pr.GetValue(address)!, "ADDR"), Size: FlashVerbOptions.ParseSize(pr.GetValue(size)!, "SIZE"), Path: pr.GetValue(file)!.FullName);
            if (args.Size is 0 or > 16 << 20) throw new UsageException("SIZE must be 1 byte to 16 MB.");
            return args;
        }, async (session, settings, output, args, ct) =>
        {
            var data = await output.WithProgressAsync("flash", p => session.Flasher.ReadAsync(args.Address, args.Size, p, ct)).ConfigureAwait(false);
            await File.WriteAllBytesAsync(args.Path, data, ct).ConfigureAwait(false);
            output.WriteLine($"Read {data.Length} bytes at 0x{args.Address:x8} into {args.Path}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Erase(FlashCliOptions o)
    {
        var region = new Option<string[]>("--region") { Description = "Erase only ADDR SIZE (both multiples of 0x1000) instead of the whole chip.", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true };
        var command = new Command("erase", "Erase the whole flash, or --region ADDR SIZE.\n\nExamples:\n  espwire flash erase --port /dev/ttyUSB0\n  espwire flash erase --port /dev/ttyUSB0 --region 0x7e000 0x2000") { region };
        Run(command, o, pr =>
        {
            if (pr.GetValue(region) is not { Length: 2 } r) return ((uint Address, uint Size)?)null;
            var a = FlashVerbOptions.ParseAddress(r[0], "--region ADDR");
            var n = FlashVerbOptions.ParseSize(r[1], "--region SIZE");
            if (a % 0x1000 != 0 || n % 0x1000 != 0 || n == 0)
                throw new UsageException($"--region {r[0]} {r[1]}: both must be non-zero multiples of 0x1000 (4 KB sectors).");
            return (a, n);
        }, async (session, settings, output, span, ct) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (span is { } s)
            {
                output.WriteLine($"Erasing region (may be slow depending on size)...");
                await session.Flasher.EraseRegionAsync(s.Address, s.Size, ct).ConfigureAwait(false);
                output.WriteLine($"Erase completed successfully in {clock.Elapsed.TotalSeconds:0.0} seconds.");
            }
            else
            {
                var total = session.DetectedFlashSize?.Bytes
                    ?? throw new FlasherException("The flash size is unknown (no flash id), so the chip cannot be erased in ROM mode.", "Use --region ADDR SIZE, or a stub (--stub FILE).");
                output.WriteLine("Erasing flash (this may take a while)...");
                await session.Flasher.EraseAllAsync(total, ct).ConfigureAwait(false);
                output.WriteLine($"Chip erase completed successfully in {clock.Elapsed.TotalSeconds:0.0} seconds.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(FlashCliOptions o)
    {
        var address = new Argument<string>("ADDR") { Description = "Where the file was written." };
        var file = new Argument<FileInfo>("FILE") { Description = "The file to compare with the flash." };
        var command = new Command("verify", "Compare a file with the flash by MD5 (needs the stub).\n\nExample:\n  espwire flash verify --port /dev/ttyUSB0 0x1000 user1.bin") { address, file };
        Run(command, o, pr =>
        {
            var f = pr.GetValue(file)!;
            if (!f.Exists) throw new UsageException($"{f.FullName} does not exist.");
            return (Address: FlashVerbOptions.ParseAddress(pr.GetValue(address)!, "ADDR"), Data: File.ReadAllBytes(f.FullName), Name: f.Name);
        }, async (session, settings, output, target, ct) =>
        {
            output.WriteLine($"Verifying 0x{target.Data.Length:x} ({target.Data.Length}) bytes @ 0x{target.Address:x8} in flash against {target.Name}...");
            await session.Flasher.CompareAsync(target.Address, target.Data, target.Name, ct).ConfigureAwait(false);
            output.WriteLine($"-- verify OK (digest matched: {Convert.ToHexStringLower(MD5.HashData(target.Data))})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RestoreAt(FlashCliOptions o)
    {
        var dir = new Argument<DirectoryInfo>("DIR") { Description = "Espressif's unpacked ESP8266_NonOS_AT_Bin release (the folder holding bin/)." };
        var command = new Command("restore-at",
            "Put Espressif's AT firmware back (after an Arduino sketch replaced it), so AT commands work again. " +
            "Detects the flash size, picks the release's layout for it (boot, user1, esp_init_data_default, blank), writes and verifies.\n\n" +
            "Example:\n  espwire flash restore-at ~/Downloads/ESP8266_NonOS_AT_Bin_V1.7.5 --port /dev/ttyUSB0")
        { dir };
        Run(command, o, pr =>
        {
            var d = pr.GetValue(dir)!;
            if (!d.Exists) throw new UsageException($"{d.FullName} is not a directory: give the unpacked AT release.");
            return d.FullName;
        }, async (session, settings, output, directory, ct) =>
        {
            var size = session.DetectedFlashSize?.Bytes
                ?? throw new FlasherException("The flash size is unknown (no flash id), so the AT layout cannot be chosen.", "Check the module's flash chip; a genuine ESP-12F reports 4 MB.");
            var plan = AtRestorePlan.ForFlashSize(size);
            var files = plan.Resolve(directory);
            output.WriteLine($"Restore plan: {plan.Name}");
            foreach (var (entry, path) in files)
                output.WriteLine($"  0x{entry.Address:x6}  {Path.GetFileName(path),-32} {entry.Purpose}");
            var regions = files.Select(f => new FlashRegion(f.Entry.Address, File.ReadAllBytes(f.Path), Path.GetFileName(f.Path))).ToList();
            var options = new FlashWriteOptions { Header = settings.Header(keepSizeAs: plan.HeaderSize) };
            await session.WriteAsync(regions, options, new FlashWriteView(output), ct).ConfigureAwait(false);
            output.WriteLine("AT firmware restored: after the reset, open the port at 115200 and send AT (espwire at --port ... AT+GMR).");
            return ExitCodes.Ok;
        }, writesFlash: true);
        return command;
    }

    private static Command StubInfo(FlashCliOptions o)
    {
        var command = new Command("stub",
            "Say which flasher stub the flash verbs would upload, and where it was found, without touching a device. " +
            "Looked for in esptool v4.8+/v5 (stub_flasher/2, then 1), esptool v4.0-4.7, the esptool.py of esptool v2/v3 (bundled by the Arduino ESP8266 core and PlatformIO) and an npm esptool-js.\n\n" +
            "Examples:\n  espwire flash stub\n  espwire flash stub --stub-search ~/.arduino15/packages/esp8266\n  espwire flash stub --stub ~/esptool/esptool.py");
        command.SetAction((ParseResult pr) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var error = pr.InvocationConfiguration.Error;
            var settings = FlashVerbOptions.From(pr, o);
            if (settings.Session.NoStub)
            {
                output.WriteLine("--no-stub: no stub would be used; the ROM loader writes uncompressed, cannot hash (no MD5 skip or verify) and cannot read.");
                return ExitCodes.Ok;
            }
            var chosen = FlashSession.ChooseStub(settings.Session);
            if (chosen is null)
            {
                var looked = settings.Session.StubSearchRoots ?? Espwire.Flasher.Stub.StubLocator.DefaultRoots().ToList();
                error.WriteLine("No ESP8266 flasher stub found, so the flash verbs would use the ROM loader (slower, no MD5 skip or verify, no read).");
                error.WriteLine($"Looked in: {string.Join(", ", looked)}");
                error.WriteLine("Hint: install esptool (pip install esptool), the Arduino ESP8266 core or esptool-js (npm install esptool-js), or pass --stub FILE.");
                return ExitCodes.DeviceError;
            }
            var stub = chosen.Load();
            output.WriteLine($"Stub: {chosen.Path}");
            output.WriteLine($"From: {chosen.Description}");
            output.WriteLine($"Entry 0x{stub.Entry:x8}; text {stub.Text.Length} bytes at 0x{stub.TextStart:x8}; data {stub.Data.Length} bytes at 0x{stub.DataStart:x8}");
            if (settings.Session.StubFile is null)
            {
                var others = Espwire.Flasher.Stub.StubLocator.FindAll(settings.Session.StubSearchRoots).Skip(1).ToList();
                if (others.Count > 0)
                {
                    output.WriteLine("Also found (used only with --stub):");
                    foreach (var other in others) output.WriteLine($"  {other.Path}  ({other.Description})");
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
