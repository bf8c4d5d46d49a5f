namespace Espwire.At.Dialects;

/// <summary>Picks the dialect from AT+GMR.</summary>
public static class Dialect
{
    /// <summary>1.x for NonOS AT firmware, 2.x for ESP-AT; unknown versions are taken as 2.x (the current line).</summary>
    public static IFirmwareDialect For(FirmwareInfo firmware)
    {
        ArgumentNullException.ThrowIfNull(firmware);
        return firmware.Major == 1
            ? NonOsDialect.Instance
            : EspAtDialect.Instance;
    }
}
