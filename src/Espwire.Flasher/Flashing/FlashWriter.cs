using System.Security.Cryptography;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Image;

namespace Espwire.Flasher.Flashing;

/// <summary>
/// esptool's write_flash as one call: check every region fits the flash, patch the header of an image at 0,
/// with the stub compare each 4 KB sector by MD5 and write only the spans that differ, then verify what was
/// written. It reports through events and never prints.
/// </summary>
public sealed class FlashWriter
{
    private readonly Esp8266Flasher _flasher;
    private readonly FlashSize? _detectedSize;

    /// <param name="flasher">A flasher on a synced connection.</param>
    /// <param name="detectedSize">The size the chip reported (RDID), or null when unknown: then bounds are not checked.</param>
    public FlashWriter(Esp8266Flasher flasher, FlashSize? detectedSize)
    {
        ArgumentNullException.ThrowIfNull(flasher);
        _flasher = flasher;
        _detectedSize = detectedSize;
    }

    public const int SectorSize = Esp8266.SectorSize;

    public async Task<IReadOnlyList<RegionWriteResult>> WriteAsync(IReadOnlyList<FlashRegion> regions, FlashWriteOptions? options = null, IProgress<FlashWriteEvent>? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regions);
        options ??= new FlashWriteOptions();
        if (_detectedSize is { Bytes: var total })
            foreach (var r in regions)
                if (r.End > total) throw new RegionOutsideFlashException(r.Name, r.Address, r.Data.Length, total);
        var headerSize = options.Header.SizeFor(_detectedSize);
        if (options.Header.DetectSize && _detectedSize is { } detected) events?.Report(new FlashWriteEvent.SizeDetected(detected));

        var results = new List<RegionWriteResult>();
        foreach (var original in regions)
        {
            var region = original;
            if (FlashParamsPatch.Apply(region.Address, region.Data.Span, options.Header.Mode, headerSize, options.Header.Frequency) is { } patched)
            {
                region = region with { Data = patched.Data };
                events?.Report(new FlashWriteEvent.ParamsSet(region, patched.Params));
            }
            var result = await WriteRegionAsync(region, options, events, cancellationToken).ConfigureAwait(false);
            events?.Report(new FlashWriteEvent.RegionDone(result));
            results.Add(result);
        }
        return results;
    }

    private async Task<RegionWriteResult> WriteRegionAsync(FlashRegion region, FlashWriteOptions options, IProgress<FlashWriteEvent>? events, CancellationToken cancellationToken)
    {
        var sectors = (region.Data.Length + SectorSize - 1) / SectorSize;
        string? writeAllReason = !_flasher.IsStub ? "the ESP8266 ROM cannot hash flash (SPI_FLASH_MD5 needs the stub), so every sector is written"
            : !options.SkipUnchangedSectors ? "--no-skip: every sector is written"
            : region.Address % SectorSize != 0 ? $"0x{region.Address:x} is not on a 4 KB sector boundary, so sectors cannot be compared: every sector is written"
            : null;

        IReadOnlyList<SectorSpan> spans;
        if (writeAllReason is not null)
        {
            events?.Report(new FlashWriteEvent.WritingAll(region, writeAllReason));
            spans = sectors == 0 ? [] : [new SectorSpan(0, sectors)];
        }
        else
        {
            var changed = await ChangedSectorsAsync(region, sectors, cancellationToken).ConfigureAwait(false);
            spans = SectorSpan.Runs(changed);
            events?.Report(new FlashWriteEvent.SectorsCompared(region, sectors, sectors - changed.Count(c => c)));
        }

        var toWrite = spans.Sum(s => SliceLength(region, s));
        long doneBefore = 0;
        WriteResult? combined = null;
        foreach (var span in spans)
        {
            var start = span.First * SectorSize;
            var slice = region.Data.Slice(start, SliceLength(region, span));
            var address = region.Address + (uint)start;
            var padded = (slice.Length + 3) / 4 * 4;
            events?.Report(new FlashWriteEvent.Erasing(region, address, address + (uint)((padded + SectorSize - 1) / SectorSize * SectorSize) - 1));
            var before = doneBefore;
            var progress = events is null ? null : new Relay(p => events.Report(new FlashWriteEvent.Progress(region, p with { Address = region.Address, Done = before + p.Done, Total = toWrite })));
            var written = await _flasher.WriteAsync(address, slice, progress, cancellationToken).ConfigureAwait(false);
            doneBefore += slice.Length;
            combined = combined is null ? written with { Address = region.Address } : Add(combined, written);
        }

        var verified = false;
        if (_flasher.IsStub)
        {
            // Skipped sectors were compared already; what was written is checked span by span.
            foreach (var span in spans)
            {
                var start = span.First * SectorSize;
                await _flasher.VerifyAsync(region.Address + (uint)start, region.Data.Slice(start, SliceLength(region, span)), cancellationToken).ConfigureAwait(false);
            }
            verified = true;
        }
        else
            events?.Report(new FlashWriteEvent.VerifySkipped(region, "the ESP8266 ROM cannot hash flash (a flasher stub can: --stub FILE)"));
        return new RegionWriteResult(region, combined, sectors, sectors - spans.Sum(s => s.Count), verified);
    }

    /// <summary>One flag per sector: true when the flash's MD5 differs from the data's.</summary>
    private async Task<bool[]> ChangedSectorsAsync(FlashRegion region, int sectors, CancellationToken cancellationToken)
    {
        var changed = new bool[sectors];
        for (var i = 0; i < sectors; i++)
        {
            var start = i * SectorSize;
            var chunk = region.Data.Slice(start, Math.Min(SectorSize, region.Data.Length - start));
            var local = MD5.HashData(chunk.Span);
            var remote = await _flasher.Md5Async(region.Address + (uint)start, (uint)chunk.Length, cancellationToken).ConfigureAwait(false);
            changed[i] = !local.AsSpan().SequenceEqual(remote);
        }
        return changed;
    }

    private static int SliceLength(FlashRegion region, SectorSpan span)
        => Math.Min(span.Count * SectorSize, region.Data.Length - span.First * SectorSize);

    private static WriteResult Add(WriteResult a, WriteResult b) => a with
    {
        Size = a.Size + b.Size,
        CompressedSize = a.CompressedSize is { } x && b.CompressedSize is { } y ? x + y : null,
        Elapsed = a.Elapsed + b.Elapsed,
        Retries = a.Retries + b.Retries,
    };

    private sealed class Relay(Action<FlashProgress> report) : IProgress<FlashProgress>
    {
        public void Report(FlashProgress value) => report(value);
    }
}
