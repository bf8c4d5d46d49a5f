namespace Espwire.Protocol.Rom;

/// <summary>
/// The bootloader's data checksum: <see cref="Seed"/> XOR every data byte after the 16-byte block header (MEM_DATA,
/// FLASH_DATA, FLASH_DEFL_DATA only). The v1 image's segment checksum uses the same seed.
/// </summary>
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
