namespace Espwire.Protocol.At;

/// <summary>The multiplexed-link facts of the AT firmware (AT+CIPMUX=1), shared by the driver and the emulator.</summary>
public static class AtLinks
{
    /// <summary>Link ids 0..4: the firmware multiplexes at most five connections.</summary>
    public const int Count = 5;

    /// <summary>AT+CIPSERVER=1 without a port listens on 333.</summary>
    public const int DefaultServerPort = 333;

    /// <summary>AT+CIPSEND and AT+CIPRECVDATA move at most 2048 bytes per command.</summary>
    public const int MaxChunk = 2048;
}
