namespace Espwire.Flasher.Chip;

/// <summary>The SPI flash's JEDEC id (RDID 0x9F): manufacturer, memory type, capacity code.</summary>
public sealed record FlashId(uint Raw)
{
    public byte Manufacturer => (byte)Raw;
    public byte MemoryType => (byte)(Raw >> 8);
    public byte CapacityCode => (byte)(Raw >> 16);

    /// <summary>esptool's "Device": memory type then capacity, e.g. 4016.</summary>
    public ushort Device => (ushort)((MemoryType << 8) | CapacityCode);

    /// <summary>The flash size in bytes (capacity code n means 2^n bytes), or null when the code is not a size.</summary>
    public int? SizeBytes => CapacityCode is >= 0x12 and <= 0x18 ? 1 << CapacityCode : null;

    /// <summary>The matching size setting (1MB, 2MB, 4MB...), or null.</summary>
    public FlashSize? Size => SizeBytes is { } b ? FlashSize.FromBytes(b) : null;
}
