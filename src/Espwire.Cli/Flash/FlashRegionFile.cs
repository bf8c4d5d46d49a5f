using Espwire.Flasher.Flashing;

namespace Espwire.Cli.Flash;

/// <summary>One ADDR FILE pair of <c>flash write</c>, read and checked.</summary>
internal sealed record FlashRegionFile(uint Address, string Path, byte[] Data)
{
    /// <summary>Largest file accepted: the largest ESP8266 flash.</summary>
    public const long MaxBytes = 16 << 20;

    public FlashRegion ToRegion() => new(Address, Data, System.IO.Path.GetFileName(Path));

    public static IReadOnlyList<FlashRegionFile> Parse(IReadOnlyList<string> pairs)
    {
        if (pairs.Count == 0 || pairs.Count % 2 != 0)
            throw new UsageException("flash write takes ADDR FILE pairs, e.g. espwire flash write 0x0 boot.bin 0x1000 user1.bin.");
        var regions = new List<FlashRegionFile>();
        for (var i = 0; i < pairs.Count; i += 2)
        {
            var address = FlashVerbOptions.ParseAddress(pairs[i], "Address");
            if (address % 4 != 0) throw new UsageException($"Address 0x{address:x} is not a multiple of 4.");
            var info = new FileInfo(pairs[i + 1]);
            if (!info.Exists) throw new UsageException($"{pairs[i + 1]} does not exist.");
            if (info.Length == 0) throw new UsageException($"{pairs[i + 1]} is empty.");
            if (info.Length > MaxBytes) throw new UsageException($"{pairs[i + 1]} is {info.Length} bytes, more than any ESP8266 flash (16 MB).");
            regions.Add(new FlashRegionFile(address, info.FullName, File.ReadAllBytes(info.FullName)));
        }
        var sorted = regions.OrderBy(r => r.Address).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            var prev = sorted[i - 1];
            if (prev.Address + (uint)prev.Data.Length > sorted[i].Address)
                throw new UsageException($"{System.IO.Path.GetFileName(prev.Path)} at 0x{prev.Address:x} overlaps {System.IO.Path.GetFileName(sorted[i].Path)} at 0x{sorted[i].Address:x}.");
        }
        return regions;
    }
}
