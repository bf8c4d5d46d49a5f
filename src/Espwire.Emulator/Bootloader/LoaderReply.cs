using System.Buffers.Binary;

namespace Espwire.Emulator.Bootloader;

/// <summary>Builds replies: <c>01, op, u16 size, u32 value, data, status, error</c>.</summary>
public static class LoaderReply
{
    public static byte[] Ok(LoaderOpcode op, uint value = 0, ReadOnlySpan<byte> body = default) => Build(op, value, body, 0, LoaderError.None);

    public static byte[] Fail(LoaderOpcode op, LoaderError error) => Build(op, 0, default, 1, error);

    private static byte[] Build(LoaderOpcode op, uint value, ReadOnlySpan<byte> body, byte status, LoaderError error)
    {
        var packet = new byte[8 + body.Length + 2];
        packet[0] = 0x01;
        packet[1] = (byte)op;
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(2), (ushort)(body.Length + 2));
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(4), value);
        body.CopyTo(packet.AsSpan(8));
        packet[^2] = status;
        packet[^1] = (byte)error;
        return packet;
    }
}
