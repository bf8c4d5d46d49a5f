namespace Espwire.At.Reader;

/// <summary>Bounds that keep a noisy or hostile serial line from growing memory without end.</summary>
public sealed record AtReaderLimits
{
    /// <summary>Longest text line kept; longer lines are dropped and counted as garbage. AT commands are at most 256 bytes.</summary>
    public int MaxLineLength { get; init; } = 1024;

    /// <summary>Largest +IPD / +CIPRECVDATA payload accepted; the firmware sends at most 2920 per notice.</summary>
    public int MaxPayload { get; init; } = 8192;
}
