namespace Espwire.Ports;

/// <summary>Telnet (RFC 854) and COM-PORT-OPTION (RFC 2217) bytes, in one place.</summary>
public static class Rfc2217Protocol
{
    public const byte Iac = 255, Dont = 254, Do = 253, Wont = 252, Will = 251, Sb = 250, Se = 240;

    /// <summary>Telnet options this link uses.</summary>
    public const byte OptionBinary = 0, OptionEcho = 1, OptionSuppressGoAhead = 3, OptionComPort = 44;

    /// <summary>Added to a client command's code in the server's answer (SET-BAUDRATE 1 is answered as 101).</summary>
    public const byte ServerOffset = 100;

    /// <summary>Longest subnegotiation accepted; RFC 2217's longest fixed one is 6 bytes, signatures are text.</summary>
    public const int MaxSubnegotiation = 256;
}
