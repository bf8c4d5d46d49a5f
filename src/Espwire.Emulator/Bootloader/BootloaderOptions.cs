namespace Espwire.Emulator.Bootloader;

/// <summary>Options of the ROM download mode (issue 5 fills these in).</summary>
public sealed record BootloaderOptions
{
    /// <summary>Size of the virtual SPI flash in bytes (the ESP-12F has 4 MB).</summary>
    public int FlashSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>File that keeps the flash contents across runs; null keeps them in memory only.</summary>
    public string? FlashFile { get; init; }

    /// <summary>Fraction (0..1) of replies corrupted or dropped, to exercise a flasher's retries.</summary>
    public double InjectErrorRate { get; init; }
}
