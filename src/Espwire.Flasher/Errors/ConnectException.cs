namespace Espwire.Flasher.Errors;

/// <summary>No SYNC reply after every reset attempt.</summary>
public sealed class ConnectException : FlasherException
{
    public ConnectException(string link, int attempts, string noise, bool resetUsed, bool echoed = false)
        : base($"Failed to connect to the ESP8266 on {link}: no SYNC reply after {attempts} attempt(s)" +
               (echoed ? "; the line echoed the requests back" : noise.Length > 0 ? $"; the line carried \"{noise}\"" : ", and the line was silent") + ".",
               HintFor(noise, resetUsed, echoed))
    {
    }

    private static string HintFor(string noise, bool resetUsed, bool echoed)
    {
        if (echoed)
            return "Something echoes what it receives: the module runs an application (the AT firmware echoes by default), not its ROM loader. " +
                   (resetUsed ? "The DTR/RTS auto-reset did not reach download mode: hold GPIO0 at GND and pulse EN by hand." : "Put it in download mode: GPIO0 to GND, then reset (EN low, then high).");
        if (noise.Contains("boot mode:(3", StringComparison.Ordinal))
            return "The module booted from flash (boot mode 3): GPIO0 was high at reset. Hold GPIO0 at GND, reset it (EN low then high), and try again.";
        var reset = resetUsed
            ? "The DTR/RTS auto-reset did not reach download mode: hold GPIO0 at GND and pulse EN by hand, or check the adapter's auto-reset wiring."
            : "This link has no DTR/RTS: put the module in download mode by hand (GPIO0 to GND, then reset EN).";
        return reset + " Check TX->RX, RX->TX, GND and a 3.3 V supply that gives 300 mA; try --baud 115200 and a shorter cable.";
    }
}
