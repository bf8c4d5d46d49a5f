namespace Espwire.Emulator.Bootloader;

/// <summary>A minimal JESD216 SFDP table: the header, one parameter header and the density word.</summary>
internal static class Sfdp
{
    public static byte[] Table(int flashSizeBytes)
    {
        var t = new byte[0x50];
        Array.Fill(t, (byte)0xFF);
        "SFDP"u8.CopyTo(t);
        t[4] = 0x06; t[5] = 0x01; t[6] = 0x00; t[7] = 0xFF;                    // rev 1.6, 1 parameter header
        byte[] header = [0x00, 0x06, 0x01, 0x10, 0x30, 0x00, 0x00, 0xFF];     // basic table, 16 dwords at 0x30
        header.CopyTo(t, 8);
        var densityBits = (uint)flashSizeBytes * 8 - 1;
        BitConverter.TryWriteBytes(t.AsSpan(0x34), densityBits);
        return t;
    }
}
