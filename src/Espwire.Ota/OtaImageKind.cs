namespace Espwire.Ota;

/// <summary>What an update replaces: the invitation's first number, as ArduinoOTA reads it (U_FLASH, U_FS).</summary>
public enum OtaImageKind
{
    /// <summary>The sketch (firmware) image; the device boots it after the update.</summary>
    Flash = 0,

    /// <summary>A filesystem image (SPIFFS/LittleFS), written over the device's filesystem area.</summary>
    Filesystem = 100,
}
