using Espwire.Protocol.Rom;
using System.Buffers;
using System.Buffers.Binary;
using Espwire.Flasher.Commands;

namespace Espwire.Flasher.Protocol;

/// <summary>The one place a request becomes bytes: <c>00, op, u16 size, u32 checksum, data</c>, little-endian.</summary>
public static class CommandPacket
{
    public const byte Direction = Packet.RequestDirection;
    public const int HeaderLength = Packet.HeaderLength;

    /// <summary>The unframed packet.</summary>
    public static byte[] Encode(BootloaderCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var data = new ArrayBufferWriter<byte>();
        command.WriteData(data);
        if (data.WrittenCount > ushort.MaxValue)
            throw new ArgumentException($"{command.Opcode} carries {data.WrittenCount} bytes; a packet holds at most 65535.", nameof(command));
        var packet = new byte[HeaderLength + data.WrittenCount];
        packet[0] = Direction;
        packet[1] = (byte)command.Opcode;
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(2), (ushort)data.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(4), command.Checksum);
        data.WrittenSpan.CopyTo(packet.AsSpan(HeaderLength));
        return packet;
    }

    /// <summary>The packet wrapped in a SLIP frame, ready for the wire.</summary>
    public static byte[] EncodeFrame(BootloaderCommand command) => Slip.Encode(Encode(command));
}
