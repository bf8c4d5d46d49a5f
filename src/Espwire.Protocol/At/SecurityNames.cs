namespace Espwire.Protocol.At;

public static class SecurityNames
{
    /// <summary>OPEN, WEP, WPA_PSK, WPA2_PSK, ... as the AT reference names them.</summary>
    public static string Name(this Security security) => security switch
    {
        Security.Open => "OPEN",
        Security.Wep => "WEP",
        Security.WpaPsk => "WPA_PSK",
        Security.Wpa2Psk => "WPA2_PSK",
        Security.WpaWpa2Psk => "WPA_WPA2_PSK",
        Security.Wpa2Enterprise => "WPA2_ENTERPRISE",
        Security.Wpa3Psk => "WPA3_PSK",
        Security.Wpa2Wpa3Psk => "WPA2_WPA3_PSK",
        _ => $"UNKNOWN({(int)security})",
    };
}
