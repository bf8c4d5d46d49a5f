using System.Buffers.Binary;

namespace Espwire.Emulator.Bootloader;

/// <summary>A request as the device receives it: <c>00, op, u16 size, u32 checksum, data</c>.</summary>
public sealed record LoaderRequest(LoaderOpcode Opcode, uint Checksum, byte[] Data)
{
    public static LoaderRequest? TryParse(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Length < 8 || frame[0] != 0x00) return null;
        var size = BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(2));
        if (frame.Length != 8 + size) return null;
        return new LoaderRequest((LoaderOpcode)frame[1], BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4)), frame[8..]);
    }

    /// <summary>The n-th little-endian word of the payload, or null when the payload is too short.</summary>
    public uint? Word(int n) => Data.Length >= (n + 1) * 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(n * 4)) : null;

    /// <summary>For data commands (<c>len, seq, 0, 0, block</c>): the block, or null when the length field disagrees.</summary>
    public ReadOnlySpan<byte> Block => Data.AsSpan(Math.Min(16, Data.Length));

    public bool BlockLengthMatches => Data.Length >= 16 && Word(0) == (uint)(Data.Length - 16);
}
