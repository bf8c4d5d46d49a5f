namespace Espwire.Flasher.Flashing;

/// <summary>Progress of a long operation, in bytes of the data as the user sees it (uncompressed).</summary>
public readonly record struct FlashProgress(FlashPhase Phase, uint Address, long Done, long Total);
