namespace Espwire.Emulator.World;

/// <summary>The router's LAN: the addresses its DHCP server hands out and the hosts on it.</summary>
public sealed record Lan
{
    /// <summary>The address DHCP gives the first module; module N gets this plus N.</summary>
    public string ModuleAddress { get; init; } = "192.168.0.138";

    public string Gateway { get; init; } = "192.168.0.1";

    public string Netmask { get; init; } = "255.255.255.0";

    public IReadOnlyList<LanHost> Hosts { get; init; } = [];
}
