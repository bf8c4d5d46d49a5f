namespace Espwire.Protocol.At;

/// <summary>The <c>ecn</c> field of a <c>+CWLAP</c> line: how a network is secured. Values as the firmware sends them.</summary>
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
