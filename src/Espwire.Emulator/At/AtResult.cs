namespace Espwire.Emulator.At;

/// <summary>A command's final result code.</summary>
public enum AtResult
{
    /// <summary>The handler already wrote everything (or the command ends without a final line, like AT+CIPSEND's data).</summary>
    None,
    Ok,
    Error,
    /// <summary>1.x's FAIL (a failed join).</summary>
    Fail,
    /// <summary><c>OK</c> without the blank line before it (1.x AT+GMR).</summary>
    OkNoBlankLine,
}
