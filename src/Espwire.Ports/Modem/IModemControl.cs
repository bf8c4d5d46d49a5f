namespace Espwire.Ports.Modem;

/// <summary>The modem-line register of a serial device: read all lines, write all lines (TIOCMGET / TIOCMSET).</summary>
public interface IModemControl
{
    /// <summary>The current line bits (<see cref="ModemLines.Dtr"/>, <see cref="ModemLines.Rts"/>, others).</summary>
    int Get();

    /// <summary>Sets every line at once.</summary>
    void Set(int bits);
}
