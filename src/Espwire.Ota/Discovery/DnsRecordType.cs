namespace Espwire.Ota.Discovery;

/// <summary>The DNS record types DNS-SD uses (RFC 1035, 2782, 3596, 6763).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Any = 255,
}
