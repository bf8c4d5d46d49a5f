namespace Espwire.Flasher.Errors;

/// <summary>No SYNC reply after every reset attempt.</summary>
public sealed class ConnectException : FlasherException
{
    public ConnectException(string link, int attempts, string noise, bool resetUsed)
        : base($"Failed to connect to the ESP8266 on {link}: no SYNC reply after {attempts} attempt(s){(noise.Length > 0 ? $"; the line carried \"{noise}\"" : ", and the line was silent")}.",
               HintFor(noise, resetUsed))
    {
    }

    private static string HintFor(string noise, bool resetUsed)
    {
        if (noise.Contains("boot mode:(3", StringComparison.Ordinal))
            return "The module booted from flash (boot mode 3): GPIO0 was high at reset. Hold GPIO0 at GND, reset it (EN low then high), and try again.";
        var reset = resetUsed
            ? "The DTR/RTS auto-reset did not reach download mode: hold GPIO0 at GND and pulse EN by hand, or check the adapter's auto-reset wiring."
            : "This link has no DTR/RTS: put the module in download mode by hand (GPIO0 to GND, then reset EN).";
        return reset + " Check TX->RX, RX->TX, GND and a 3.3 V supply that gives 300 mA; try --baud 115200 and a shorter cable.";
    }
}
