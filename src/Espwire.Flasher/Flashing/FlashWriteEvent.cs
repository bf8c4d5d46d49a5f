using Espwire.Flasher.Chip;

namespace Espwire.Flasher.Flashing;

/// <summary>What <see cref="FlashWriter"/> reports while it works, for a front end to render (esptool's lines).</summary>
public abstract record FlashWriteEvent
{
    /// <summary>The size the chip reported is being written into the header ("Auto-detected Flash size").</summary>
    public sealed record SizeDetected(FlashSize Size) : FlashWriteEvent;

    /// <summary>The image at 0 got new header bytes 2-3 ("Flash params set to 0x0240").</summary>
    public sealed record ParamsSet(FlashRegion Region, ushort Params) : FlashWriteEvent;

    /// <summary>Sectors were compared by MD5: <see cref="Unchanged"/> of <see cref="Sectors"/> already hold the data.</summary>
    public sealed record SectorsCompared(FlashRegion Region, int Sectors, int Unchanged) : FlashWriteEvent;

    /// <summary>Every sector is written, and why (no stub, --no-skip, an unaligned address).</summary>
    public sealed record WritingAll(FlashRegion Region, string Reason) : FlashWriteEvent;

    /// <summary>A span about to be erased and written ("Flash will be erased from ... to ...").</summary>
    public sealed record Erasing(FlashRegion Region, uint Start, uint EndInclusive) : FlashWriteEvent;

    /// <summary>Bytes of a region handled so far, across all its written spans.</summary>
    public sealed record Progress(FlashRegion Region, FlashProgress Step) : FlashWriteEvent;

    /// <summary>A region finished (written, skipped or both) and verified when possible.</summary>
    public sealed record RegionDone(RegionWriteResult Result) : FlashWriteEvent;

    /// <summary>The region was not checked afterwards, and why (the ROM has no MD5).</summary>
    public sealed record VerifySkipped(FlashRegion Region, string Reason) : FlashWriteEvent;
}
