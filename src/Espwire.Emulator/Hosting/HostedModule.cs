using System.Net;

namespace Espwire.Emulator.Hosting;

/// <summary>A module an <see cref="EmulatorHost"/> serves, and where to reach it.</summary>
public sealed class HostedModule
{
    internal HostedModule(VirtualModule module) => Module = module;

    public VirtualModule Module { get; }

    /// <summary>The bound TCP endpoint, or null when not served over TCP.</summary>
    public IPEndPoint? Endpoint { get; internal set; }

    /// <summary>The pseudo-terminal's path (/dev/pts/N), or null.</summary>
    public string? PtyPath { get; internal set; }

    /// <summary>The port string other tools open: <c>socket://127.0.0.1:PORT</c>, else the pty path.</summary>
    public string PortString => Endpoint is not null
        ? $"socket://{(Endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Endpoint.Address}]" : Endpoint.Address.ToString())}:{Endpoint.Port}"
        : PtyPath ?? "";
}
