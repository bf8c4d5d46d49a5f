namespace Espwire.Ota;

/// <summary>A finished upload: bytes sent, whether a password was asked, how long the TCP transfer and the whole took.</summary>
public sealed record OtaResult(long Bytes, bool Authenticated, TimeSpan TransferTime, TimeSpan TotalTime);
