namespace Espwire.Receiver.Framing;

/// <summary>Why a line was not kept as a reading. Each is counted in the receiver's stats.</summary>
public enum LineDrop
{
    /// <summary>Longer than the line limit: the bytes are skipped up to the next newline; the connection stays usable.</summary>
    TooLong = 0,
    /// <summary>Not valid UTF-8.</summary>
    InvalidUtf8 = 1,
    /// <summary>Valid UTF-8 but holds control bytes (NUL, ESC...): binary garbage, not a sensor line.</summary>
    Binary = 2,
}
