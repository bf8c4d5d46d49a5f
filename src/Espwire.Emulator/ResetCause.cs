namespace Espwire.Emulator;

/// <summary>Why the module last reset, as the ROM prints it (<c>rst cause:N</c>).</summary>
public enum ResetCause
{
    PowerOn = 1,
    External = 2,
    SoftwareWatchdog = 4,
}
