namespace Espwire.At.Wifi;

/// <summary>AT+PING: the round trip time, or a timeout.</summary>
public sealed record PingResult(string Host, bool Reached, int? Milliseconds);
