namespace Espwire.Emulator.At;

/// <summary>What the firmware does with the bytes it receives.</summary>
internal enum InputMode
{
    /// <summary>Command lines ending in CR LF.</summary>
    Command,
    /// <summary>Exactly N bytes of AT+CIPSEND data (or until <c>\0</c> for AT+CIPSENDEX).</summary>
    SendData,
    /// <summary>AT+CIPMODE=1 pass-through until a lone <c>+++</c>.</summary>
    Transparent,
}
