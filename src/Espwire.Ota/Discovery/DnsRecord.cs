using System.Net;

namespace Espwire.Ota.Discovery;

/// <summary>
/// One resource record, with the rdata of the types DNS-SD uses already read: a PTR's target, an SRV's port and
/// host, a TXT's strings, an A/AAAA address. Other types keep only their name and type.
/// </summary>
public sealed record DnsRecord(string Name, DnsRecordType Type, uint Ttl)
{
    /// <summary>mDNS's cache-flush bit (the top bit of the class): this record replaces what a cache holds.</summary>
    public bool CacheFlush { get; init; }

    public string? Target { get; init; }

    public ushort Port { get; init; }

    public ushort Priority { get; init; }

    public ushort Weight { get; init; }

    public IReadOnlyList<string> Strings { get; init; } = [];

    public IPAddress? Address { get; init; }

    public static DnsRecord Pointer(string name, string target, uint ttl = 4500) => new(name, DnsRecordType.Ptr, ttl) { Target = target };

    public static DnsRecord Service(string name, string host, ushort port, uint ttl = 120)
        => new(name, DnsRecordType.Srv, ttl) { Target = host, Port = port, CacheFlush = true };

    public static DnsRecord Text(string name, IEnumerable<string> strings, uint ttl = 4500)
        => new(name, DnsRecordType.Txt, ttl) { Strings = strings.ToArray(), CacheFlush = true };

    public static DnsRecord HostAddress(string name, IPAddress address, uint ttl = 120)
        => new(name, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A, ttl)
        {
            Address = address,
            CacheFlush = true,
        };
}
