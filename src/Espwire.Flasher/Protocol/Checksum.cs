namespace Espwire.Flasher.Protocol;

/// <summary>The bootloader's data checksum: 0xEF XOR every byte. Also the v1 image's segment checksum.</summary>
public static class Checksum
{
    public const byte Seed = 0xEF;

    public static byte Compute(ReadOnlySpan<byte> data, byte seed = Seed)
    {
        var c = seed;
        foreach (var b in data) c ^= b;
        return c;
    }
}
