namespace Espwire.Flasher.Errors;

/// <summary>A region ends beyond the flash the chip reported.</summary>
public sealed class RegionOutsideFlashException : FlasherException
{
    public RegionOutsideFlashException(string name, uint address, int length, int flashBytes)
        : base($"{name} ({length} bytes at 0x{address:x}) does not fit in the {FormatSize(flashBytes)} flash.",
               "Check the address, or the file: it may be for a larger module.")
    {
    }

    private static string FormatSize(int bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MB" : $"{bytes >> 10} KB";
}
