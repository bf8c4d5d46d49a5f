namespace Espwire.Ota.Discovery;

/// <summary>A question; <paramref name="UnicastResponse"/> is mDNS's QU bit (the top bit of the class).</summary>
public sealed record DnsQuestion(string Name, DnsRecordType Type, bool UnicastResponse = false);
