namespace Espwire.Cli.Devices;

/// <summary>A device the receiver stored readings from: its name, the address it last sent from, when, how many readings.</summary>
internal sealed record SeenDevice(string Name, string Remote, DateTimeOffset LastSeen, long Readings);
