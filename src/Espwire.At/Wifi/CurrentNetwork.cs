namespace Espwire.At.Wifi;

/// <summary>AT+CWJAP?: the network the station is joined to.</summary>
public sealed record CurrentNetwork(string Ssid, string Bssid, int Channel, int Rssi);
