using Espwire.Flasher.Chip;
using Espwire.Flasher.Errors;

namespace Espwire.Flasher.Restore;

/// <summary>
/// Where Espressif's AT firmware files go for a flash size (the release's README "BOOT MODE" table). The user
/// brings the files; Espwire knows the addresses and the header size setting.
/// </summary>
public sealed record AtRestorePlan(string Name, FlashSize HeaderSize, IReadOnlyList<AtRestoreEntry> Entries)
{
    public static AtRestorePlan Flash1MB { get; } = Make("AT 8Mbit (1MB), map 512KB+512KB", FlashSize.Size1MB, "user1.1024.new.2.bin", 0xFC000, 0x7E000, 0xFE000);
    public static AtRestorePlan Flash2MBc1 { get; } = Make("AT 16Mbit-C1 (2MB), map 1024KB+1024KB", FlashSize.Size2MBc1, "user1.2048.new.5.bin", 0x1FC000, 0xFE000, 0x1FE000);
    public static AtRestorePlan Flash4MBc1 { get; } = Make("AT 32Mbit-C1 (4MB), map 1024KB+1024KB", FlashSize.Size4MBc1, "user1.2048.new.5.bin", 0x3FC000, 0xFE000, 0x3FE000);

    public static IReadOnlyList<AtRestorePlan> All { get; } = [Flash1MB, Flash2MBc1, Flash4MBc1];

    /// <summary>The plan for a detected flash size; larger chips use the 4 MB layout.</summary>
    public static AtRestorePlan ForFlashSize(int bytes) => bytes switch
    {
        1 << 20 => Flash1MB,
        2 << 20 => Flash2MBc1,
        >= 4 << 20 => Flash4MBc1,
        _ => throw new FlasherException($"The AT firmware needs at least 1 MB of flash; this chip has {bytes / 1024} KB.",
            "Use a module with 1 MB or more (the ESP-12F has 4 MB), or flash the AT firmware's 4 Mbit no-OTA build by hand with espwire flash write."),
    };

    private static AtRestorePlan Make(string name, FlashSize size, string user1, uint initData, uint blankSystem, uint blankEnd) =>
        new(name, size,
        [
            new AtRestoreEntry(0x000000, AtFileRole.Boot, "boot_v*.bin", "second-stage boot loader"),
            new AtRestoreEntry(0x001000, AtFileRole.User1, user1, "AT application"),
            new AtRestoreEntry(initData, AtFileRole.InitData, "esp_init_data_default*.bin", "RF defaults"),
            new AtRestoreEntry(blankSystem, AtFileRole.Blank, "blank.bin", "clear system parameters"),
            new AtRestoreEntry(blankEnd, AtFileRole.Blank, "blank.bin", "clear RF calibration / settings"),
        ]);

    /// <summary>Finds each entry's file under <paramref name="directory"/> (the unpacked release); names every missing one.</summary>
    public IReadOnlyList<(AtRestoreEntry Entry, string Path)> Resolve(string directory)
    {
        if (!Directory.Exists(directory))
            throw new FlasherException($"{directory} is not a directory.", "Unpack Espressif's ESP8266_NonOS_AT_Bin release and give its folder (the one with bin/).");
        var files = Directory.EnumerateFiles(directory, "*.bin", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 5, IgnoreInaccessible = true }).ToList();
        var resolved = new List<(AtRestoreEntry, string)>();
        var missing = new List<string>();
        foreach (var entry in Entries)
        {
            var match = files.Where(f => Matches(Path.GetFileName(f), entry.FilePattern))
                .OrderByDescending(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase) // the newest boot_v1.x / init data first
                .ThenBy(f => f.Length)
                .FirstOrDefault();
            if (match is null) missing.Add($"{entry.FilePattern} (0x{entry.Address:x6}, {entry.Purpose})");
            else resolved.Add((entry, match));
        }
        if (missing.Count > 0)
            throw new FlasherException($"{Name}: {directory} lacks {string.Join(", ", missing)}.",
                "Download ESP8266_NonOS_AT_Bin from Espressif, unpack it, and give its folder; the files are under bin/ and bin/at/.");
        return resolved;
    }

    private static bool Matches(string name, string pattern)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0) return string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase);
        return name.Length >= pattern.Length - 1
            && name.StartsWith(pattern[..star], StringComparison.OrdinalIgnoreCase)
            && name.EndsWith(pattern[(star + 1)..], StringComparison.OrdinalIgnoreCase);
    }
}
