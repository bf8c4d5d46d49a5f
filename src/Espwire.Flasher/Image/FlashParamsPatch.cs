using Espwire.Flasher.Chip;

namespace Espwire.Flasher.Image;

/// <summary>
/// Sets flash mode, size and frequency in bytes 2-3 of an image written at address 0, as esptool does; the
/// second-stage loader reads them at boot, so a wrong size there breaks the firmware's settings area.
/// </summary>
public static class FlashParamsPatch
{
    /// <summary>The patched copy and the new params, or null when this data is not an image at address 0 or nothing was asked.</summary>
    public static (byte[] Data, ushort Params)? Apply(uint address, ReadOnlySpan<byte> data, FlashMode? mode, FlashSize? size, FlashFrequency? freq)
    {
        if (address != 0 || data.Length < FirmwareImage.HeaderLength) return null;
        if (data[0] is not (FirmwareImage.V1Magic or FirmwareImage.V2Magic)) return null;
        if (mode is null && size is null && freq is null) return null;
        var copy = data.ToArray();
        if (mode is { } m) copy[2] = (byte)m;
        var sizeCode = size?.HeaderCode ?? (byte)(copy[3] >> 4);
        var freqCode = freq is { } f ? (byte)f : (byte)(copy[3] & 0x0F);
        copy[3] = (byte)((sizeCode << 4) | freqCode);
        return (copy, (ushort)((copy[2] << 8) | copy[3]));
    }
}
