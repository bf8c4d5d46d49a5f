namespace Espwire.Receiver.Readings;

/// <summary>Facts about how a reading arrived.</summary>
[Flags]
public enum ReadingFlags
{
    None = 0,
    /// <summary>The connection closed (or went idle) before the line's newline arrived: the text is all we got.</summary>
    Partial = 1,
}
