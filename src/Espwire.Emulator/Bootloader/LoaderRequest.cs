using Espwire.Protocol.Rom;
using System.Buffers.Binary;

namespace Espwire.Emulator.Bootloader;

/// <summary>A request as the device receives it: <c>00, op, u16 size, u32 checksum, data</c>.</summary>
public sealed record LoaderRequest(Opcode Opcode, uint Checksum, byte[] Data)
{
    public static LoaderRequest? TryParse(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Length < Packet.HeaderLength || frame[0] != Packet.RequestDirection) return null;
        var size = BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(2));
        if (frame.Length != Packet.HeaderLength + size) return null;
        return new LoaderRequest((Opcode)frame[1], BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4)), frame[Packet.HeaderLength..]);
    }

    /// <summary>The n-th little-endian word of the payload, or null when the payload is too short.</summary>
    public uint? Word(int n) => Data.Length >= (n + 1) * 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(n * 4)) : null;

    /// <summary>For data commands (<c>len, seq, 0, 0, block</c>): the block, or null when the length field disagrees.</summary>
    public ReadOnlySpan<byte> Block => Data.AsSpan(Math.Min(Packet.DataBlockHeaderLength, Data.Length));

    public bool BlockLengthMatches => Data.Length >= Packet.DataBlockHeaderLength && Word(0) == (uint)(Data.Length - Packet.DataBlockHeaderLength);
}
