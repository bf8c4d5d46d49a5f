namespace Espwire.Flasher.Flashing;

/// <summary>How <see cref="FlashWriter"/> writes a set of regions.</summary>
public sealed record FlashWriteOptions
{
    public FlashHeaderSettings Header { get; init; } = FlashHeaderSettings.Keep;

    /// <summary>
    /// With the stub, compare each 4 KB sector's MD5 with the data's and write only the sectors that differ
    /// (esptool v5's skip of unchanged sectors). False writes everything (<c>--no-skip</c>).
    /// </summary>
    public bool SkipUnchangedSectors { get; init; } = true;
}
