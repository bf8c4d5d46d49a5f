namespace Espwire.Ports;

/// <summary>SET-CONTROL values for the modem lines (RFC 2217 section 3, "Set Control").</summary>
public static class Rfc2217Control
{
    public const byte DtrOn = 8, DtrOff = 9, RtsOn = 11, RtsOff = 12;
}
