namespace Espwire.At.Wifi;

/// <summary>+CWLAP ecn values; names as Espressif writes them.</summary>
public enum Security
{
    Open = 0,
    Wep = 1,
    WpaPsk = 2,
    Wpa2Psk = 3,
    WpaWpa2Psk = 4,
    Wpa2Enterprise = 5,
    Wpa3Psk = 6,
    Wpa2Wpa3Psk = 7,
}
