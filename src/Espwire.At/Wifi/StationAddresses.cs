namespace Espwire.At.Wifi;

/// <summary>AT+CIFSR: the station's IP and MAC (soft-AP ones only in modes 2 and 3).</summary>
public sealed record StationAddresses(string? StationIp, string? StationMac, string? SoftApIp, string? SoftApMac)
{
    /// <summary>True when the station has an address other than 0.0.0.0.</summary>
    public bool HasIp => StationIp is { Length: > 0 } ip && ip != "0.0.0.0";
}
