namespace Espwire.Flasher.Flashing;

/// <summary>How the flasher writes.</summary>
public sealed record FlasherOptions
{
    /// <summary>Attempts per block (esptool's WRITE_BLOCK_ATTEMPTS).</summary>
    public int BlockAttempts { get; init; } = 3;

    /// <summary>Compress writes with zlib when the stub runs (the ROM cannot inflate on the ESP8266).</summary>
    public bool Compress { get; init; } = true;
}
