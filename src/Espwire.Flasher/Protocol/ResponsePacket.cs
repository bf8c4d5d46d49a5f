using Espwire.Protocol.Rom;
using System.Buffers.Binary;

namespace Espwire.Flasher.Protocol;

/// <summary>A reply: <c>01, op, u16 size, u32 value, data</c>; on the ESP8266 data ends in 2 status bytes.</summary>
public sealed record ResponsePacket(Opcode Opcode, uint Value, ReadOnlyMemory<byte> Data)
{
    public const byte Direction = Packet.ResponseDirection;
    public const int HeaderLength = Packet.HeaderLength;

    /// <summary>Status bytes at the end of the data: 2 for the ESP8266 ROM and for every stub.</summary>
    public const int StatusLength = Packet.StatusLength;

    /// <summary>Parses an unframed reply; false for anything that is not a well-formed reply (noise, a request echo).</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out ResponsePacket? packet)
    {
        packet = null;
        if (frame.Length < HeaderLength || frame[0] != Direction) return false;
        var size = BinaryPrimitives.ReadUInt16LittleEndian(frame[2..]);
        if (frame.Length != HeaderLength + size) return false;
        packet = new ResponsePacket(
            (Opcode)frame[1],
            BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]),
            frame[HeaderLength..].ToArray());
        return true;
    }

    /// <summary>True when the status bytes say the command succeeded.</summary>
    public bool Succeeded => Data.Length >= StatusLength && Data.Span[^StatusLength] == 0;

    /// <summary>The device's error byte (meaningful when <see cref="Succeeded"/> is false).</summary>
    public DeviceErrorCode Error => Data.Length >= StatusLength ? (DeviceErrorCode)Data.Span[^1] : DeviceErrorCode.None;

    /// <summary>The data before the status bytes.</summary>
    public ReadOnlyMemory<byte> Body => Data.Length >= StatusLength ? Data[..^StatusLength] : ReadOnlyMemory<byte>.Empty;
}
