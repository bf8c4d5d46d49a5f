namespace Espwire.Emulator;

/// <summary>Which AT firmware the module has in flash.</summary>
public enum FirmwareDialect
{
    /// <summary>NonOS AT 1.7.4 (SDK 3.0.4): <c>\r\r\n</c> echo, <c>_CUR</c>/<c>_DEF</c>, FAIL on a failed join.</summary>
    NonOs,
    /// <summary>ESP-AT 2.2 for ESP8266: plain echo, AT+SYSSTORE, ERROR on a failed join.</summary>
    EspAt,
}
