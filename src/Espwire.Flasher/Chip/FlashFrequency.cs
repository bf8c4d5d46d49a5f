namespace Espwire.Flasher.Chip;

/// <summary>SPI flash clock, low nibble of byte 3 of the v1 image header.</summary>
public enum FlashFrequency : byte
{
    Freq40m = 0x0,
    Freq26m = 0x1,
    Freq20m = 0x2,
    Freq80m = 0xF,
}
