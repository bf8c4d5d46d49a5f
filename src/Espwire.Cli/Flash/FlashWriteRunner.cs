using System.Globalization;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Image;
using Espwire.Flasher.Session;

namespace Espwire.Cli.Flash;

/// <summary>Writes regions as esptool's write_flash does: patch the header at 0, write, print the rate, verify.</summary>
internal static class FlashWriteRunner
{
    public static async Task<IReadOnlyList<(WriteResult Result, bool Verified)>> WriteAsync(FlashSession session, IReadOnlyList<FlashRegionFile> regions, FlashSettings settings, Flasher.Chip.FlashSize? headerSizeOverride, FlashOutput output, CancellationToken ct)
    {
        var flashBytes = session.DetectedFlashSize?.Bytes;
        foreach (var r in regions)
        {
            if (flashBytes is { } total && r.Address + (long)r.Data.Length > total)
                throw new FlasherException($"{Path.GetFileName(r.Path)} ({r.Data.Length} bytes at 0x{r.Address:x}) does not fit in the {total / 1024 / 1024} MB flash.",
                    "Check the address, or the file: it may be for a larger module.");
        }
        var sizeForHeader = headerSizeOverride ?? settings.HeaderSize(session.DetectedFlashSize);
        if (settings.SizeSetting == "detect" && session.DetectedFlashSize is { } d)
        {
            output.WriteLine("Configuring flash size...");
            output.WriteLine($"Auto-detected Flash size: {d.Name}");
        }
        var results = new List<(WriteResult, bool)>();
        foreach (var region in regions)
        {
            var data = region.Data;
            if (FlashParamsPatch.Apply(region.Address, data, settings.Mode, sizeForHeader, settings.Frequency) is { } patched)
            {
                data = patched.Data;
                output.WriteLine($"Flash params set to 0x{patched.Params:x4}");
            }
            var padded = (data.Length + 3) / 4 * 4;
            output.WriteLine($"Flash will be erased from 0x{region.Address:x8} to 0x{region.Address + (uint)((padded + 0xFFF) / 0x1000 * 0x1000) - 1:x8}...");
            var result = await output.WithProgressAsync(Path.GetFileName(region.Path), p => session.Flasher.WriteAsync(region.Address, data, p, ct)).ConfigureAwait(false);
            var seconds = result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            var rate = result.EffectiveKbps.ToString("0.0", CultureInfo.InvariantCulture);
            if (result.CompressedSize is { } c)
            {
                output.WriteLine($"Compressed {result.Size} bytes to {c}...");
                output.WriteLine($"Wrote {result.Size} bytes ({c} compressed) at 0x{region.Address:x8} in {seconds} seconds (effective {rate} kbit/s)...");
            }
            else
                output.WriteLine($"Wrote {result.Size} bytes at 0x{region.Address:x8} in {seconds} seconds ({rate} kbit/s)...");
            if (result.Retries > 0) output.WriteLine($"({result.Retries} block(s) sent again after lost replies or checksum errors)");
            if (session.Flasher.IsStub)
            {
                await session.Flasher.VerifyAsync(region.Address, data, ct).ConfigureAwait(false);
                output.WriteLine("Hash of data verified.");
            }
            else
                output.WriteLine("Verification skipped: the ESP8266 ROM cannot hash flash (a flasher stub can: --stub FILE).");
            results.Add((result, session.Flasher.IsStub));
        }
        return results;
    }
}
