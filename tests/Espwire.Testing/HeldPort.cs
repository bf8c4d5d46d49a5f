using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Espwire.Testing;

/// <summary>
/// A loopback port this test holds for as long as it needs the number, instead of binding port 0 to learn a free
/// number and releasing it (another test's listener or outgoing connection may take it in the gap).
/// </summary>
/// <remarks>
/// TCP (<see cref="Tcp"/>): a socket bound to 127.0.0.1:PORT that never listens. A connection to it is refused, as
/// to a port nobody uses; no port-0 bind on the machine (another test's listener, probe or outgoing connection) is
/// given the port while it is held; and the code under test can still bind and listen on it, because .NET sets
/// SO_REUSEADDR on every TCP socket on Linux and mosquitto sets it on its listeners, and Linux lets a listener share a
/// port with bound sockets that do not listen. So a test names the port, checks that it is refused, lets the code
/// under test bind it, and releases it only when done.
/// UDP (<see cref="ClosedUdp"/>): a socket bound to 127.0.0.1:PORT and connected to itself. Linux delivers a datagram
/// to a connected UDP socket only from its peer, so one from anyone else finds no socket and is refused (ICMP port
/// unreachable), as at a port nobody uses; and nothing else can bind the port while it is held.
/// </remarks>
public sealed class HeldPort : IDisposable
{
    private readonly Socket _socket;

    private HeldPort(Socket socket)
    {
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>"127.0.0.1:PORT", as the command lines take it.</summary>
    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Address;

    /// <summary>A TCP port nothing listens on, held until disposed.</summary>
    public static HeldPort Tcp() => new(Bind(SocketType.Stream, ProtocolType.Tcp, 0));

    /// <summary>A UDP port that refuses datagrams as a closed one does, held until disposed.</summary>
    public static HeldPort ClosedUdp()
    {
        var socket = Bind(SocketType.Dgram, ProtocolType.Udp, 0);
        socket.Connect(socket.LocalEndPoint!);
        return new HeldPort(socket);
    }

    /// <summary>Two consecutive TCP ports nothing listens on (PORT and PORT+1), for code that binds a run of ports
    /// from a base. The first comes from the OS; the second is taken only when nothing listens there.</summary>
    public static (HeldPort First, HeldPort Second) ConsecutiveTcp()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = Tcp();
            if (first.Port < IPEndPoint.MaxPort && TryTcp(first.Port + 1) is { } second) return (first, second);
            first.Dispose();
        }
        throw new InvalidOperationException("No two consecutive free loopback ports in 100 attempts.");
    }

    /// <summary>Holds a given TCP port; null when something listens on it.</summary>
    public static HeldPort? TryTcp(int port)
    {
        // A bind with SO_REUSEADDR succeeds next to bound sockets that do not listen, so listening is what tells that
        // the port is someone's: a listener bound for a moment is the test (it fails when another listens there).
        try
        {
            using var probe = Bind(SocketType.Stream, ProtocolType.Tcp, port);
            probe.Listen(1);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return null;
        }
        try
        {
            return new HeldPort(Bind(SocketType.Stream, ProtocolType.Tcp, port));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return null;
        }
    }

    /// <summary>Starts listening on the held TCP port itself, for a test's own server on the number it has shown;
    /// the socket stays owned by this object (disposing it closes the listener).</summary>
    public Socket Listen(int backlog = 64)
    {
        _socket.Listen(backlog);
        return _socket;
    }

    private static Socket Bind(SocketType type, ProtocolType protocol, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}
