using System.CommandLine;
using System.Text.Json;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Image;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire image info FILE</c>: what an ESP8266 firmware image holds, checked (esptool's image_info).</summary>
internal static class ImageCommand
{
    /// <summary>Images larger than the largest flash are not images.</summary>
    private const long MaxBytes = 16 << 20;

    public static Command Create()
    {
        var command = new Command("image", "Inspect ESP8266 firmware images.");
        command.Subcommands.Add(Info());
        return command;
    }

    private static Command Info()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A firmware image (.bin), e.g. the sketch the Arduino IDE exported or boot_v1.7.bin." };
        var json = CommonOptions.Json();
        var command = new Command("info",
            "Show an ESP8266 v1 image's header (entry, flash mode/size/frequency), segments and checksum, and say what is wrong with it. Exit 1 when it is not a valid image.\n\n" +
            "Example:\n  espwire image info sketch.ino.bin")
        { file, json };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var f = pr.GetValue(file)!;
            var usage = !f.Exists ? $"{f.FullName} does not exist." : f.Length > MaxBytes ? $"{f.Name} is {f.Length} bytes, larger than any ESP8266 flash." : null;
            if (usage is not null)
            {
                await pr.InvocationConfiguration.Error.WriteLineAsync($"espwire: {usage}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            var bytes = await File.ReadAllBytesAsync(f.FullName, ct).ConfigureAwait(false);
            if (bytes.Length < FirmwareImage.HeaderLength)
            {
                // Nothing to show: a header read from fewer bytes would be invented.
                await pr.InvocationConfiguration.Error.WriteLineAsync($"espwire: {f.Name} is {bytes.Length} bytes, too short to hold an ESP8266 image header ({FirmwareImage.HeaderLength} bytes): it is not a firmware image.").ConfigureAwait(false);
                await pr.InvocationConfiguration.Error.WriteLineAsync("Hint: give the .bin the build produced (Arduino: Sketch > Export compiled Binary).").ConfigureAwait(false);
                return ExitCodes.DeviceError;
            }
            var image = FirmwareImage.Parse(bytes);
            if (pr.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    file = f.Name,
                    magic = $"0x{image.Magic:x2}",
                    valid = image.IsValid,
                    entry = $"0x{image.EntryPoint:x8}",
                    flashMode = Enum.IsDefined(image.FlashMode) ? FlashSettingNames.Of(image.FlashMode) : null,
                    flashSize = image.FlashSize?.Name,
                    flashFreq = Enum.IsDefined(image.FlashFrequency) ? FlashSettingNames.Of(image.FlashFrequency) : null,
                    flashParams = $"0x{image.FlashParams:x4}",
                    segments = image.Segments.Select(s => new { load = $"0x{s.LoadAddress:x8}", length = s.Length, fileOffset = s.FileOffset, region = s.Region }),
                    checksum = image.StoredChecksum is { } c ? $"0x{c:x2}" : null,
                    computedChecksum = $"0x{image.ComputedChecksum:x2}",
                    imageLength = image.ImageLength,
                    fileLength = bytes.Length,
                    problems = image.Problems,
                })).ConfigureAwait(false);
                return image.IsValid ? ExitCodes.Ok : ExitCodes.DeviceError;
            }
            await output.WriteLineAsync($"File: {f.Name} ({bytes.Length} bytes)").ConfigureAwait(false);
            if (image.Magic == FirmwareImage.V1Magic)
            {
                await output.WriteLineAsync("Image version: 1").ConfigureAwait(false);
                await output.WriteLineAsync($"Entry point: {image.EntryPoint:x8}").ConfigureAwait(false);
                await output.WriteLineAsync($"{image.Segments.Count} segments").ConfigureAwait(false);
                await output.WriteLineAsync("").ConfigureAwait(false);
                for (var i = 0; i < image.Segments.Count; i++)
                {
                    var s = image.Segments[i];
                    await output.WriteLineAsync($"Segment {i + 1}: len 0x{s.Length:x5} load 0x{s.LoadAddress:x8} file_offs 0x{s.FileOffset:x8} [{s.Region}]").ConfigureAwait(false);
                }
                if (image.StoredChecksum is { } stored)
                    await output.WriteLineAsync($"Checksum: {stored:x2} ({(stored == image.ComputedChecksum ? "valid" : $"invalid - calculated {image.ComputedChecksum:x2}")})").ConfigureAwait(false);
                if (bytes.Length > image.ImageLength)
                    await output.WriteLineAsync($"{bytes.Length - image.ImageLength} bytes follow the image (e.g. irom0 text for 0x10000).").ConfigureAwait(false);
            }
            var mode = Enum.IsDefined(image.FlashMode) ? FlashSettingNames.Of(image.FlashMode) : $"0x{(byte)image.FlashMode:x2}";
            var freq = Enum.IsDefined(image.FlashFrequency) ? FlashSettingNames.Of(image.FlashFrequency) : $"0x{(byte)image.FlashFrequency:x}";
            await output.WriteLineAsync($"Flash mode: {mode}, size: {image.FlashSize?.Name ?? $"code 0x{image.FlashSizeCode:x}"}, freq: {freq} (params 0x{image.FlashParams:x4})").ConfigureAwait(false);
            foreach (var problem in image.Problems)
                await pr.InvocationConfiguration.Error.WriteLineAsync($"Problem: {problem}").ConfigureAwait(false);
            await output.WriteLineAsync(image.IsValid ? "Image is valid." : "Image is NOT valid.").ConfigureAwait(false);
            return image.IsValid ? ExitCodes.Ok : ExitCodes.DeviceError;
        });
        return command;
    }
}
