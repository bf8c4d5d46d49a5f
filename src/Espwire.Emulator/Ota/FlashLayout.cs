namespace Espwire.Emulator.Ota;

/// <summary>
/// Where the Arduino core's default flash layouts put things: the sketch from 0x0 up to the filesystem's start,
/// the filesystem, then 20 KB of EEPROM and SDK settings. An OTA image is written to the top of the sketch area,
/// beside the running sketch; at the next boot eboot copies it to 0x0.
/// </summary>
internal static class FlashLayout
{
    public const int Sector = 0x1000;
    private const int SettingsArea = 0x5000;

    /// <summary>The filesystem's start (FS_start): 2 MB up for 4 MB and larger chips ("FS:2MB" and up), 1 MB for 2 MB, a small FS at the top otherwise.</summary>
    public static int SketchAreaEnd(int flashSize) => flashSize switch
    {
        >= 4 << 20 => 0x200000,
        >= 2 << 20 => 0x100000,
        _ => flashSize - SettingsArea - flashSize / 16,
    };

    public static int FilesystemEnd(int flashSize) => flashSize - SettingsArea;

    public static int RoundUp(long size) => (int)((size + Sector - 1) / Sector * Sector);
}
