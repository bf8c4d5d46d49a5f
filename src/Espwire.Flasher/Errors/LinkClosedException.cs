namespace Espwire.Flasher.Errors;

/// <summary>The link closed while the flasher waited for the device.</summary>
public sealed class LinkClosedException : FlasherException
{
    public LinkClosedException(string link)
        : base($"The link {link} closed.", "The device or the serial server went away: check the cable and that the emulator or server still runs, then try again.")
    {
    }
}
