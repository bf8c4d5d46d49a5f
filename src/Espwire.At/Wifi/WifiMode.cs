namespace Espwire.At.Wifi;

/// <summary>AT+CWMODE values.</summary>
public enum WifiMode
{
    /// <summary>Radio off (2.x only).</summary>
    Off = 0,
    Station = 1,
    SoftAp = 2,
    StationAndSoftAp = 3,
}
