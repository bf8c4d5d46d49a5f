namespace Espwire.Flasher.Chip;

/// <summary>A flash size setting as esptool names it, with its code in the v1 image header (high nibble of byte 3).</summary>
public sealed record FlashSize(string Name, int Bytes, byte HeaderCode)
{
    public static readonly FlashSize Size512KB = new("512KB", 512 * 1024, 0x0);
    public static readonly FlashSize Size256KB = new("256KB", 256 * 1024, 0x1);
    public static readonly FlashSize Size1MB = new("1MB", 1 << 20, 0x2);
    public static readonly FlashSize Size2MB = new("2MB", 2 << 20, 0x3);
    public static readonly FlashSize Size4MB = new("4MB", 4 << 20, 0x4);
    public static readonly FlashSize Size2MBc1 = new("2MB-c1", 2 << 20, 0x5);
    public static readonly FlashSize Size4MBc1 = new("4MB-c1", 4 << 20, 0x6);
    public static readonly FlashSize Size8MB = new("8MB", 8 << 20, 0x8);
    public static readonly FlashSize Size16MB = new("16MB", 16 << 20, 0x9);

    public static IReadOnlyList<FlashSize> All { get; } =
        [Size256KB, Size512KB, Size1MB, Size2MB, Size2MBc1, Size4MB, Size4MBc1, Size8MB, Size16MB];

    public static FlashSize? FromName(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public static FlashSize? FromHeaderCode(int code) => All.FirstOrDefault(s => s.HeaderCode == code);

    /// <summary>The plain (not -c1) setting for a byte count.</summary>
    public static FlashSize? FromBytes(int bytes) => All.FirstOrDefault(s => s.Bytes == bytes && !s.Name.EndsWith("-c1", StringComparison.Ordinal));

    public override string ToString() => Name;
}
