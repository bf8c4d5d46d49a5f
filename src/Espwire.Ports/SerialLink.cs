namespace Espwire.Ports;

/// <summary>A serial device (CP2102, CH340, a pseudo-terminal) through System.IO.Ports.</summary>
// Placeholder: the AT driver work (issue 4) implements this.
public sealed class SerialLink
{
    public static IDeviceLink Open(PortAddress address, LinkOptions options)
        => throw new PortException($"Serial ports are not implemented yet ({address.Path}).", "Use socket://HOST:PORT for now.");
}
