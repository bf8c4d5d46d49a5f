namespace Espwire.Emulator.World;

/// <summary>An access point's encryption, with the <c>ecn</c> numbers AT+CWLAP prints.</summary>
public enum Security
{
    Open = 0,
    Wep = 1,
    WpaPsk = 2,
    Wpa2Psk = 3,
    WpaWpa2Psk = 4,
    Wpa2Enterprise = 5,
}
