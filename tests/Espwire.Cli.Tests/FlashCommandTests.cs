using System.Net;
using System.Text.Json;
using Espwire.Cli;
using Espwire.Emulator;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Hosting;

namespace Espwire.Cli.Tests;

/// <summary>espwire flash / image, in-process, against an emulated module in ROM download mode on loopback.</summary>
public sealed class FlashCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-flash-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string StubFile()
    {
        var random = new Random(5);
        var text = new byte[4000];
        random.NextBytes(text);
        var path = Path.Combine(_dir, "stub.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { entry = 0x4010E004u, text = Convert.ToBase64String(text), text_start = 0x4010E000u, data = "", data_start = 0x3FFFABA4u }));
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<EmulatorHost> StartEmulatorAsync(int flashSize) => EmulatorHost.StartAsync(new EmulatorHostOptions
    {
        Module = new ModuleOptions
        {
            Mode = BootMode.Bootloader,
            TimeScale = 0,
            Bootloader = new BootloaderOptions { FlashSize = flashSize },
            BootloaderFactory = RomBootloader.Factory,
        },
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
    });

    [Fact]
    public async Task Info_prints_esptool_lines()
    {
        await using var host = await StartEmulatorAsync(4 << 20);
        var (code, output, error) = await RunAsync("flash", "info", "--port", host.Modules[0].PortString, "--before", "no-reset", "--no-stub");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Chip is ESP8266EX", output, StringComparison.Ordinal);
        Assert.Contains("Crystal is 26MHz", output, StringComparison.Ordinal);
        Assert.Contains("MAC: 18:fe:34:a1:b2:c3", output, StringComparison.Ordinal);
        Assert.Contains("Device: 4016", output, StringComparison.Ordinal);
        Assert.Contains("Detected flash size: 4MB", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_with_a_stub_prints_the_rate_line_and_verifies_then_read_returns_the_file()
    {
        await using var host = await StartEmulatorAsync(2 << 20);
        var image = new byte[100_000];
        new Random(9).NextBytes(image.AsSpan(0, 50_000));
        var imagePath = Path.Combine(_dir, "app.bin");
        await File.WriteAllBytesAsync(imagePath, image);
        var port = host.Modules[0].PortString;
        var (code, output, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--stub", StubFile(), "0x10000", imagePath);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Matches(@"Wrote 100000 bytes \(\d+ compressed\) at 0x00010000 in \d+\.\d seconds \(effective \d+\.\d kbit/s\)\.\.\.", output);
        Assert.Contains("Hash of data verified.", output, StringComparison.Ordinal);
        Assert.Equal(image, VirtualFlash.For(host.Modules[0].Module.Options.Bootloader).Read(0x10000, image.Length));

        var back = Path.Combine(_dir, "back.bin");
        (code, _, error) = await RunAsync("flash", "read", "--port", port, "--before", "no-reset", "0x10000", "100000", back);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal(image, await File.ReadAllBytesAsync(back));
    }

    [Fact]
    public async Task Write_json_reports_each_region()
    {
        await using var host = await StartEmulatorAsync(1 << 20);
        var path = Path.Combine(_dir, "small.bin");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        var (code, output, error) = await RunAsync("flash", "write", "--port", host.Modules[0].PortString, "--before", "no-reset", "--stub", StubFile(), "--json", "0x2000", path);
        Assert.True(code == ExitCodes.Ok, error);
        using var doc = JsonDocument.Parse(output);
        var region = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.Equal("0x00002000", region.GetProperty("address").GetString());
        Assert.Equal(5000, region.GetProperty("bytes").GetInt32());
        Assert.True(region.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Restore_at_writes_the_release_at_the_4MB_addresses_and_sets_the_header_size()
    {
        await using var host = await StartEmulatorAsync(4 << 20);
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "ESP8266_NonOS_AT_Bin_V1.7.5", "bin")).FullName;
        Directory.CreateDirectory(Path.Combine(bin, "at", "1024+1024"));
        byte[] boot = [0xE9, 1, 0, 0x20, 0, 0, 0x10, 0x40, 0, 0, 0x10, 0x40, 4, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xEF ^ 1 ^ 2 ^ 3 ^ 4];
        await File.WriteAllBytesAsync(Path.Combine(bin, "boot_v1.7.bin"), boot);
        await File.WriteAllBytesAsync(Path.Combine(bin, "at", "1024+1024", "user1.2048.new.5.bin"), [0xEA, 4, 0, 0x20, 1, 2, 3, 4]);
        await File.WriteAllBytesAsync(Path.Combine(bin, "esp_init_data_default_v08.bin"), Enumerable.Repeat((byte)0x05, 128).ToArray());
        await File.WriteAllBytesAsync(Path.Combine(bin, "blank.bin"), new byte[4096]);
        var flash = VirtualFlash.For(host.Modules[0].Module.Options.Bootloader);

        var (code, output, error) = await RunAsync("flash", "restore-at", Path.Combine(_dir, "ESP8266_NonOS_AT_Bin_V1.7.5"), "--port", host.Modules[0].PortString, "--before", "no-reset", "--no-stub");
        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("AT 32Mbit-C1 (4MB)", output, StringComparison.Ordinal);
        Assert.Contains("Flash params set to 0x0060", output, StringComparison.Ordinal);
        Assert.Equal(0x60, flash.Read(3, 1)[0]);
        Assert.Equal(new byte[] { 0xEA, 4, 0, 0x20 }, flash.Read(0x1000, 4));
        Assert.All(flash.Read(0x3FC000, 128), b => Assert.Equal(0x05, b));
        Assert.All(flash.Read(0xFE000, 4096), b => Assert.Equal(0x00, b));
        Assert.All(flash.Read(0x3FE000, 4096), b => Assert.Equal(0x00, b));
    }

    [Theory]
    [InlineData("flash", "write", "--port", "socket://127.0.0.1:1", "0x0")]
    [InlineData("flash", "info", "--port", "socket://127.0.0.1:1", "--stub", "x.json", "--no-stub")]
    [InlineData("flash", "info", "--port", "socket://127.0.0.1:1", "--before", "sometimes")]
    [InlineData("flash", "erase", "--port", "socket://127.0.0.1:1", "--region", "0x100", "0x1000")]
    [InlineData("flash", "info", "--port", "socket://127.0.0.1:1", "--flash-size", "3MB")]
    public async Task Bad_command_lines_are_usage_errors(params string[] args)
    {
        var (code, _, _) = await RunAsync(args);
        Assert.Equal(ExitCodes.UsageError, code);
    }

    [Fact]
    public async Task Nothing_listening_is_a_device_error_with_a_hint()
    {
        // Held, not listening: refused for the whole test, and no other test's listener is given the port meanwhile.
        using var nothing = Espwire.Testing.HeldPort.Tcp();
        var (code, _, error) = await RunAsync("flash", "info", "--port", $"socket://{nothing.Address}", "--before", "no-reset");
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Contains("Hint:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_info_reads_a_valid_image_and_rejects_a_damaged_one()
    {
        byte[] image = [0xE9, 1, 2, 0x40, 4, 0, 0x10, 0x40, 0, 0, 0x10, 0x40, 4, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xEF ^ 1 ^ 2 ^ 3 ^ 4];
        var path = Path.Combine(_dir, "ok.bin");
        await File.WriteAllBytesAsync(path, image);
        var (code, output, _) = await RunAsync("image", "info", path);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Entry point: 40100004", output, StringComparison.Ordinal);
        Assert.Contains("Segment 1: len 0x00004 load 0x40100000", output, StringComparison.Ordinal);
        Assert.Contains("Flash mode: dio, size: 4MB, freq: 40m", output, StringComparison.Ordinal);

        image[17] ^= 0xFF;
        await File.WriteAllBytesAsync(path, image);
        string error;
        (code, _, error) = await RunAsync("image", "info", path);
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Contains("Checksum byte", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewriting_skips_unchanged_sectors_and_writes_only_the_changed_one()
    {
        await using var host = await StartEmulatorAsync(1 << 20);
        var port = host.Modules[0].PortString;
        var stub = StubFile();
        var image = new byte[100 * 1024];
        new Random(3).NextBytes(image);
        image[0] = 0xE9;
        var path = Path.Combine(_dir, "sketch.bin");
        await File.WriteAllBytesAsync(path, image);
        var flash = VirtualFlash.For(host.Modules[0].Module.Options.Bootloader);

        var (code, output, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--stub", stub, "0x0", path);
        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("skipped 0 of 25 sector(s)", output, StringComparison.Ordinal);

        (code, output, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--stub", stub, "0x0", path);
        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("all 25 sector(s) already hold this data", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrote ", output, StringComparison.Ordinal);

        image[7 * 4096 + 100] ^= 0x55;
        await File.WriteAllBytesAsync(path, image);
        (code, output, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--stub", stub, "--json", "0x0", path);
        Assert.True(code == ExitCodes.Ok, error + output);
        var region = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray().ToList());
        Assert.Equal(24, region.GetProperty("sectorsSkipped").GetInt32());
        Assert.Equal(4096, region.GetProperty("written").GetInt32());
        Assert.True(region.GetProperty("verified").GetBoolean());
        Assert.Equal(image, flash.Read(0, image.Length));

        (code, output, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--stub", stub, "--no-skip", "0x0", path);
        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("--no-skip: every sector is written", output, StringComparison.Ordinal);
        Assert.Contains($"Wrote {image.Length} bytes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rom_only_writes_every_sector_and_says_why()
    {
        await using var host = await StartEmulatorAsync(1 << 20);
        var path = Path.Combine(_dir, "data.bin");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 9000).Select(i => (byte)(i * 7)).ToArray());
        var (code, output, error) = await RunAsync("flash", "write", "--port", host.Modules[0].PortString, "--before", "no-reset", "--no-stub", "0x10000", path);
        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("the ESP8266 ROM cannot hash flash (SPI_FLASH_MD5 needs the stub), so every sector is written", output, StringComparison.Ordinal);
        Assert.Contains("Wrote 9000 bytes at 0x00010000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_a_non_image_at_0x0_asks_for_force()
    {
        await using var host = await StartEmulatorAsync(1 << 20);
        var port = host.Modules[0].PortString;
        var path = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(path, "AT+GMR is not firmware\n");
        var flash = VirtualFlash.For(host.Modules[0].Module.Options.Bootloader);
        var before = flash.Read(0, 16);

        var (code, _, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--no-stub", "0x0", path);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("notes.txt does not start like an ESP8266 image (first byte 0x41; an image starts with 0xE9)", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal(before, flash.Read(0, 16));

        // Following the hint writes it.
        (code, _, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--no-stub", "--force", "0x0", path);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal("AT+GMR"u8.ToArray(), flash.Read(0, 6));
    }

    [Fact]
    public async Task Image_info_refuses_a_file_too_short_for_a_header()
    {
        var path = Path.Combine(_dir, "short.bin");
        await File.WriteAllBytesAsync(path, [0xE9, 1, 2]);
        var (code, output, error) = await RunAsync("image", "info", path);
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Contains("short.bin is 3 bytes, too short to hold an ESP8266 image header (8 bytes)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Flash mode", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Entry point", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_a_different_file_says_the_flash_differs_and_not_to_lower_the_baud()
    {
        await using var host = await StartEmulatorAsync(1 << 20);
        var port = host.Modules[0].PortString;
        var stub = StubFile();
        var written = Path.Combine(_dir, "written.bin");
        var other = Path.Combine(_dir, "other.bin");
        await File.WriteAllBytesAsync(written, Enumerable.Repeat((byte)0x11, 8192).ToArray());
        await File.WriteAllBytesAsync(other, Enumerable.Repeat((byte)0x22, 8192).ToArray());
        var (code, _, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "--stub", stub, "0x20000", written);
        Assert.True(code == ExitCodes.Ok, error);

        string output;
        (code, output, error) = await RunAsync("flash", "verify", "--port", port, "--before", "no-reset", "0x20000", other);
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Contains("differs from other.bin", error, StringComparison.Ordinal);
        Assert.Contains("espwire flash write 0x20000 other.bin", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--baud", error, StringComparison.Ordinal);

        // Following the hint: write it, then it verifies.
        (code, _, error) = await RunAsync("flash", "write", "--port", port, "--before", "no-reset", "0x20000", other);
        Assert.True(code == ExitCodes.Ok, error);
        (code, output, error) = await RunAsync("flash", "verify", "--port", port, "--before", "no-reset", "0x20000", other);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("-- verify OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_does_not_speak_of_new_firmware()
    {
        await using var host = await StartEmulatorAsync(4 << 20);
        var (code, output, error) = await RunAsync("flash", "info", "--port", host.Modules[0].PortString, "--before", "no-reset", "--no-stub");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("reset the module by hand to leave the bootloader and run its firmware", output, StringComparison.Ordinal);
        Assert.DoesNotContain("new firmware", output, StringComparison.Ordinal);
    }

    /// <summary>An esptool v3 esptool.py as the Arduino ESP8266 core bundles it: the stub as base64 of zlib of a Python dict literal.</summary>
    private string ArduinoCoreEsptoolPy(string home)
    {
        var text = new byte[3000];
        new Random(12).NextBytes(text);
        static string Bytes(byte[] b) => "b'" + string.Concat(b.Select(x => $"\\x{x:x2}")) + "'";
        var literal = $"{{'entry': 1074843652, 'text': {Bytes(text)}, 'text_start': 1074843648, 'data': {Bytes([1, 2, 3, 4])}, 'data_start': 1073720488}}";
        using var packed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(packed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(System.Text.Encoding.Latin1.GetBytes(literal));
        var base64 = Convert.ToBase64String(packed.ToArray());
        var wrapped = string.Join("\\\n", base64.Chunk(76).Select(c => new string(c)));
        var path = Path.Combine(home, ".arduino15", "packages", "esp8266", "hardware", "esp8266", "3.1.2", "tools", "esptool", "esptool.py");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "__version__ = \"3.0\"\nESP8266ROM.STUB_CODE = eval(zlib.decompress(base64.b64decode(b\"\"\"\n" + wrapped + "\n\"\"\")))\n");
        return path;
    }

    [Fact]
    public async Task Flash_stub_says_which_stub_and_from_where_and_write_uses_it()
    {
        var arduino = Path.Combine(_dir, "arduino-home");
        var py = ArduinoCoreEsptoolPy(arduino);
        var root = Path.Combine(arduino, ".arduino15", "packages", "esp8266");
        var (code, output, error) = await RunAsync("flash", "stub", "--stub-search", root);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains($"Stub: {py}", output, StringComparison.Ordinal);
        Assert.Contains("From: embedded in the Arduino ESP8266 core's esptool.py (esptool v2/v3)", output, StringComparison.Ordinal);
        Assert.Contains("Entry 0x4010d004; text 3000 bytes at 0x4010d000; data 4 bytes at 0x3fffaca8", output, StringComparison.Ordinal);

        // A JSON stub from an npm esptool-js in the same search path ranks after it and is listed.
        var modules = Path.Combine(_dir, "node_modules");
        var js = Path.Combine(modules, "esptool-js", "lib", "targets", "stub_flasher", "esp8266.json");
        Directory.CreateDirectory(Path.GetDirectoryName(js)!);
        File.Copy(StubFile(), js);
        (code, output, _) = await RunAsync("flash", "stub", "--stub-search", root, "--stub-search", modules);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"  {js}  (npm package esptool-js)", output, StringComparison.Ordinal);

        await using var host = await StartEmulatorAsync(1 << 20);
        var image = Path.Combine(_dir, "app.bin");
        await File.WriteAllBytesAsync(image, Enumerable.Range(0, 6000).Select(i => (byte)(i / 3)).ToArray());
        (code, output, error) = await RunAsync("flash", "write", "--port", host.Modules[0].PortString, "--before", "no-reset", "--stub-search", root, "0x1000", image);
        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains($"Using the flasher stub from {py} (embedded in the Arduino ESP8266 core's esptool.py", output, StringComparison.Ordinal);
        Assert.Contains("Hash of data verified.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flash_stub_with_nothing_found_says_where_it_looked_and_what_to_install()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var (code, _, error) = await RunAsync("flash", "stub", "--stub-search", empty);
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Contains("No ESP8266 flasher stub found", error, StringComparison.Ordinal);
        Assert.Contains($"Looked in: {empty}", error, StringComparison.Ordinal);
        Assert.Contains("npm install esptool-js", error, StringComparison.Ordinal);
    }
}
