namespace Espwire.Emulator.World;

/// <summary>A DNS name the virtual world resolves, with the round trip AT+PING reports for it.</summary>
public sealed record DnsName
{
    public required string Name { get; init; }

    public required string Address { get; init; }

    public int RttMs { get; init; } = 30;
}
