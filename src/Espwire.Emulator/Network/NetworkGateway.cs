using System.Net;
using Espwire.Emulator.World;

namespace Espwire.Emulator.Network;

/// <summary>
/// Where the virtual module's traffic really goes. Loopback stays loopback, LAN hosts of the world go to their
/// loopback stand-ins, and every other address is refused unless the network was explicitly allowed,
/// so nothing the emulator does can reach a real LAN or the Internet by accident.
/// </summary>
public sealed class NetworkGateway
{
    private readonly WifiWorld _world;

    public NetworkGateway(WifiWorld world, bool allowNetwork)
    {
        _world = world;
        AllowNetwork = allowNetwork;
    }

    public bool AllowNetwork { get; }

    /// <summary>Resolves a host name or address as the module's DNS client would; null means "DNS Fail".</summary>
    public async Task<IPAddress?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal)) return literal;
        var known = FindName(host);
        if (known is not null) return IPAddress.Parse(known.Address);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        var lanByName = _world.Lan.Hosts.FirstOrDefault(h => h.Name.Length > 0 && string.Equals(h.Name, host, StringComparison.OrdinalIgnoreCase));
        if (lanByName is not null) return IPAddress.Parse(lanByName.Address);
        if (!AllowNetwork) return null;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, System.Net.Sockets.AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
            return addresses.FirstOrDefault();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>The real endpoint for a connection to <paramref name="address"/>:<paramref name="port"/>, or null when it is not allowed.</summary>
    public IPEndPoint? Route(IPAddress address, int port)
    {
        if (IPAddress.IsLoopback(address)) return new IPEndPoint(address, port);
        var host = FindLanHost(address);
        if (host is not null)
        {
            var realPort = host.Ports.TryGetValue(port, out var mapped) ? mapped : port;
            return new IPEndPoint(IPAddress.Parse(host.Loopback), realPort);
        }
        return AllowNetwork ? new IPEndPoint(address, port) : null;
    }

    /// <summary>Opens a TCP connection to an endpoint <see cref="Route"/> gave; null when it is refused or takes longer
    /// than <paramref name="timeout"/> (the firmware then reports a failed connect, it does not throw).</summary>
    public static async Task<System.Net.Sockets.Socket?> ConnectTcpAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>The round trip AT+PING reports for a resolved address, or null when it would time out.</summary>
    public int? PingRttMs(string host, IPAddress address)
    {
        var name = FindName(host);
        if (name is not null) return name.RttMs;
        if (IPAddress.IsLoopback(address)) return 1;
        var lanHost = FindLanHost(address);
        if (lanHost is not null) return lanHost.RttMs;
        if (address.ToString() == _world.Lan.Gateway) return 3;
        var byAddress = _world.Dns.FirstOrDefault(d => d.Address == address.ToString());
        return byAddress?.RttMs;
    }

    private DnsName? FindName(string host)
        => _world.Dns.FirstOrDefault(d => string.Equals(d.Name, host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));

    private LanHost? FindLanHost(IPAddress address)
        => _world.Lan.Hosts.FirstOrDefault(h => IPAddress.TryParse(h.Address, out var a) && a.Equals(address));
}
