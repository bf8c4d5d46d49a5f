namespace Espwire.Emulator.World;

/// <summary>
/// A machine on the virtual LAN (the seed's laptop at 192.168.0.40). Connections the module opens to
/// <see cref="Address"/> go to <see cref="Loopback"/> on this machine, so nothing leaves it.
/// </summary>
public sealed record LanHost
{
    public required string Address { get; init; }

    public string Name { get; init; } = "";

    /// <summary>The loopback address that stands in for this host: 127.0.0.1 or ::1.</summary>
    public string Loopback { get; init; } = "127.0.0.1";

    /// <summary>Optional port remapping (LAN port to loopback port); unmapped ports stay as they are.</summary>
    public IReadOnlyDictionary<int, int> Ports { get; init; } = new Dictionary<int, int>();

    /// <summary>Round trip for AT+PING, milliseconds.</summary>
    public int RttMs { get; init; } = 4;
}
