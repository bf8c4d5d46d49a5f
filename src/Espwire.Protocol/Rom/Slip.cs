namespace Espwire.Protocol.Rom;

/// <summary>SLIP framing (RFC 1055) as the ESP bootloader uses it: C0 ends a frame, DB escapes C0 and DB.</summary>
public static class Slip
{
    public const byte End = 0xC0;
    public const byte Esc = 0xDB;
    public const byte EscEnd = 0xDC;
    public const byte EscEsc = 0xDD;

    /// <summary>Wraps one packet in C0 ... C0, escaping C0 and DB inside.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> packet)
    {
        var extra = 0;
        foreach (var b in packet)
            if (b is End or Esc) extra++;
        var frame = new byte[packet.Length + extra + 2];
        var i = 0;
        frame[i++] = End;
        foreach (var b in packet)
        {
            switch (b)
            {
                case End: frame[i++] = Esc; frame[i++] = EscEnd; break;
                case Esc: frame[i++] = Esc; frame[i++] = EscEsc; break;
                default: frame[i++] = b; break;
            }
        }
        frame[i] = End;
        return frame;
    }
}
