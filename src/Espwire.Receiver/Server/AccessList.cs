using System.Net;

namespace Espwire.Receiver.Server;

/// <summary>The networks devices may connect from (<c>--allow CIDR</c>); empty allows everyone.</summary>
internal sealed class AccessList(IReadOnlyList<IPNetwork> networks)
{
    public bool Allows(IPAddress address)
    {
        if (networks.Count == 0) return true;
        // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; the user wrote a.b.c.d/n.
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in networks)
            if (network.Contains(address)) return true;
        return false;
    }
}
