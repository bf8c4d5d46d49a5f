namespace Espwire.Flasher.Flashing;

/// <summary>Data to put at an address; <see cref="Name"/> is what messages call it (usually the file name).</summary>
public sealed record FlashRegion(uint Address, ReadOnlyMemory<byte> Data, string Name)
{
    /// <summary>One past the last byte.</summary>
    public long End => Address + (long)Data.Length;

    /// <summary>
    /// Why this region looks wrong for address 0, or null: the second-stage loader boots only an image starting
    /// with the 0xE9 magic (v1) or 0xEA (v2), and anything else there leaves the module unbootable.
    /// </summary>
    public string? NotAnImageAtZero()
    {
        if (Address != 0 || Data.Length == 0) return null;
        var first = Data.Span[0];
        return first is Image.FirmwareImage.V1Magic or Image.FirmwareImage.V2Magic
            ? null
            : $"{Name} does not start like an ESP8266 image (first byte 0x{first:X2}; an image starts with 0xE9)";
    }
}
