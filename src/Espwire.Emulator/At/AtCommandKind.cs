namespace Espwire.Emulator.At;

/// <summary>The four forms of an AT command.</summary>
public enum AtCommandKind
{
    /// <summary><c>AT+CMD</c></summary>
    Execute,
    /// <summary><c>AT+CMD?</c></summary>
    Query,
    /// <summary><c>AT+CMD=...</c></summary>
    Set,
    /// <summary><c>AT+CMD=?</c></summary>
    Test,
}
