using Espwire.Protocol.Rom;
using System.Buffers.Binary;

namespace Espwire.Emulator.Bootloader;

/// <summary>Builds replies: <c>01, op, u16 size, u32 value, data, status, error</c>.</summary>
public static class LoaderReply
{
    public static byte[] Ok(Opcode op, uint value = 0, ReadOnlySpan<byte> body = default) => Build(op, value, body, 0, DeviceErrorCode.None);

    public static byte[] Fail(Opcode op, DeviceErrorCode error) => Build(op, 0, default, 1, error);

    private static byte[] Build(Opcode op, uint value, ReadOnlySpan<byte> body, byte status, DeviceErrorCode error)
    {
        var packet = new byte[Packet.HeaderLength + body.Length + Packet.StatusLength];
        packet[0] = Packet.ResponseDirection;
        packet[1] = (byte)op;
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(2), (ushort)(body.Length + Packet.StatusLength));
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(4), value);
        body.CopyTo(packet.AsSpan(Packet.HeaderLength));
        packet[^2] = status;
        packet[^1] = (byte)error;
        return packet;
    }
}
