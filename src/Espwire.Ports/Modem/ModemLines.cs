namespace Espwire.Ports.Modem;

/// <summary>
/// DTR and RTS changed together: one read of the line bits, one write of the new bits (as espflash's
/// UnixTightReset and esptool's TIOCMSET path do). Some USB bridges (CP2102 boards) glitch when the two lines
/// change in separate calls, leaving EN and GPIO0 low together for a moment.
/// </summary>
public static class ModemLines
{
    /// <summary>TIOCM_DTR and TIOCM_RTS: the same bits on Linux and macOS.</summary>
    public const int Dtr = 0x002;
    public const int Rts = 0x004;

    /// <summary>The bits after asserting (true) or releasing (false) each line; null leaves that line and every other bit as they are.</summary>
    public static int Combine(int current, bool? dtr, bool? rts)
    {
        var bits = current;
        if (dtr is { } d) bits = d ? bits | Dtr : bits & ~Dtr;
        if (rts is { } r) bits = r ? bits | Rts : bits & ~Rts;
        return bits;
    }

    /// <summary>Sets both lines with one <see cref="IModemControl.Set"/> after one <see cref="IModemControl.Get"/>.</summary>
    public static void Apply(IModemControl control, bool? dtr, bool? rts)
    {
        ArgumentNullException.ThrowIfNull(control);
        if (dtr is null && rts is null) return;
        control.Set(Combine(control.Get(), dtr, rts));
    }
}
