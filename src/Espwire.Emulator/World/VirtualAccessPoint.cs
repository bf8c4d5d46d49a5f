using Espwire.Protocol.At;

namespace Espwire.Emulator.World;

/// <summary>An access point in the virtual world: what a scan reports, plus what only the world knows.</summary>
public sealed record VirtualAccessPoint : AccessPoint
{
    /// <summary>The passphrase; empty for open networks.</summary>
    public string Password { get; init; } = "";

    public Band Band { get; init; } = Band.Ghz24;

    /// <summary>Whether the access point runs a DHCP server for stations.</summary>
    public bool Dhcp { get; init; } = true;
}
