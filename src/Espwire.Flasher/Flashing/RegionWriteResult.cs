namespace Espwire.Flasher.Flashing;

/// <summary>
/// One region done: the write itself (null when every sector already matched), how many of its sectors were
/// compared and left alone, and whether the flash was checked by MD5 afterwards.
/// </summary>
public sealed record RegionWriteResult(FlashRegion Region, WriteResult? Write, int Sectors, int SectorsSkipped, bool Verified)
{
    public int SectorsWritten => Sectors - SectorsSkipped;
}
