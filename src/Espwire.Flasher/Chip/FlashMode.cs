namespace Espwire.Flasher.Chip;

/// <summary>SPI flash mode, byte 2 of the v1 image header.</summary>
public enum FlashMode : byte
{
    Qio = 0,
    Qout = 1,
    Dio = 2,
    Dout = 3,
}
