using System.Globalization;
using Espwire.Flasher.Flashing;

namespace Espwire.Cli.Flash;

/// <summary>Renders the flasher library's write events as esptool's lines, with a progress bar or 25 % steps.</summary>
internal sealed class FlashWriteView(FlashOutput output) : IProgress<FlashWriteEvent>
{
    private readonly Dictionary<FlashRegion, IProgress<FlashProgress>> _bars = new(ReferenceEqualityComparer.Instance);

    public void Report(FlashWriteEvent value)
    {
        switch (value)
        {
            case FlashWriteEvent.SizeDetected d:
                output.WriteLine("Configuring flash size...");
                output.WriteLine($"Auto-detected Flash size: {d.Size.Name}");
                break;
            case FlashWriteEvent.ParamsSet p:
                output.WriteLine($"Flash params set to 0x{p.Params:x4}");
                break;
            case FlashWriteEvent.SectorsCompared c:
                output.WriteLine(c.Unchanged == c.Sectors
                    ? $"{c.Region.Name}: all {c.Sectors} sector(s) already hold this data (MD5 per 4 KB sector): skipped {c.Unchanged}, nothing to write."
                    : $"{c.Region.Name}: skipped {c.Unchanged} of {c.Sectors} sector(s) already holding this data (MD5 per 4 KB sector); writing {c.Sectors - c.Unchanged} (--no-skip writes all).");
                break;
            case FlashWriteEvent.WritingAll w:
                output.WriteLine($"{w.Region.Name}: {w.Reason}.");
                break;
            case FlashWriteEvent.Erasing e:
                output.WriteLine($"Flash will be erased from 0x{e.Start:x8} to 0x{e.EndInclusive:x8}...");
                break;
            case FlashWriteEvent.Progress p:
                if (!_bars.TryGetValue(p.Region, out var bar)) _bars[p.Region] = bar = output.ProgressFor(p.Region.Name);
                bar.Report(p.Step);
                break;
            case FlashWriteEvent.VerifySkipped v:
                output.WriteLine($"Verification skipped: {v.Reason}.");
                break;
            case FlashWriteEvent.RegionDone done:
                Done(done.Result);
                break;
        }
    }

    private void Done(RegionWriteResult r)
    {
        if (_bars.Remove(r.Region, out var bar)) output.EndProgress(bar);
        if (r.Write is { } w)
        {
            var seconds = w.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            var rate = w.EffectiveKbps.ToString("0.0", CultureInfo.InvariantCulture);
            if (w.CompressedSize is { } c)
            {
                output.WriteLine($"Compressed {w.Size} bytes to {c}...");
                output.WriteLine($"Wrote {w.Size} bytes ({c} compressed) at 0x{r.Region.Address:x8} in {seconds} seconds (effective {rate} kbit/s)...");
            }
            else
                output.WriteLine($"Wrote {w.Size} bytes at 0x{r.Region.Address:x8} in {seconds} seconds ({rate} kbit/s)...");
            if (w.Retries > 0) output.WriteLine($"({w.Retries} block(s) sent again after lost replies or checksum errors)");
        }
        if (r.Verified) output.WriteLine("Hash of data verified.");
    }
}
