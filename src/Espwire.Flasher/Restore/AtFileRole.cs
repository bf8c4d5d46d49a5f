namespace Espwire.Flasher.Restore;

/// <summary>The files of Espressif's NonOS AT firmware release (ESP8266_NonOS_AT_Bin), by what they do.</summary>
public enum AtFileRole
{
    /// <summary>boot_v1.x.bin: the second-stage loader at 0x0.</summary>
    Boot,
    /// <summary>user1.*.bin: the AT application at 0x1000.</summary>
    User1,
    /// <summary>esp_init_data_default*.bin: RF calibration defaults, 16 KB below the end of flash.</summary>
    InitData,
    /// <summary>blank.bin: clears a parameter area so the firmware starts from defaults.</summary>
    Blank,
}
