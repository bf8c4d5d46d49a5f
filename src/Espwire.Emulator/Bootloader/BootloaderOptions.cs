namespace Espwire.Emulator.Bootloader;

/// <summary>Options of the ROM download mode.</summary>
public sealed record BootloaderOptions
{
    /// <summary>Size of the virtual SPI flash in bytes (the ESP-12F has 4 MB).</summary>
    public int FlashSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>File that keeps the flash contents across runs; null keeps them in memory only.</summary>
    public string? FlashFile { get; init; }

    /// <summary>Fraction (0..1) of replies corrupted or dropped, to exercise a flasher's retries.</summary>
    public double InjectErrorRate { get; init; }

    /// <summary>Seed for the error injector, so a failing run can be repeated; null picks one.</summary>
    public int? InjectErrorSeed { get; init; }

    /// <summary>The station MAC the efuses report.</summary>
    public string Mac { get; init; } = "18:fe:34:a1:b2:c3";

    /// <summary>JEDEC manufacturer and memory type of the virtual flash (Winbond W25Q: 0xEF, 0x40); the capacity byte follows <see cref="FlashSize"/>.</summary>
    public byte FlashManufacturer { get; init; } = 0xEF;
    public byte FlashMemoryType { get; init; } = 0x40;

    /// <summary>Report an ESP8285 (flash in package) instead of an ESP8266EX.</summary>
    public bool Esp8285 { get; init; }

    /// <summary>Largest frame accepted from the host; longer ones are dropped and counted.</summary>
    public int MaxFrameLength { get; init; } = 0x4000 + 64;
}
