namespace Espwire.Protocol.Rom;

/// <summary>
/// The packet header both sides agree on. Request: <c>00, op, u16 size, u32 checksum, data</c>; reply:
/// <c>01, op, u16 size, u32 value, data</c> ending in status bytes (little-endian).
/// </summary>
public static class Packet
{
    public const byte RequestDirection = 0x00;
    public const byte ResponseDirection = 0x01;
    public const int HeaderLength = 8;

    /// <summary>Status bytes closing a reply's data, <c>[status 0 ok / 1 fail, error]</c>: 2 on the ESP8266 ROM and every stub.</summary>
    public const int StatusLength = 2;

    /// <summary>The data commands (MEM_DATA, FLASH_DATA, FLASH_DEFL_DATA) start with <c>len, seq, 0, 0</c>; the checksum covers what follows.</summary>
    public const int DataBlockHeaderLength = 16;
}
