namespace Espwire.Ports;

/// <summary><c>rfc2217://host:port</c>: telnet with RFC 2217 COM-port control (baud rate, DTR/RTS).</summary>
// Placeholder: the flasher work (issue 5) implements this.
public sealed class Rfc2217Link
{
    public static Task<IDeviceLink> ConnectAsync(PortAddress address, LinkOptions options, CancellationToken cancellationToken)
        => throw new PortException($"rfc2217:// is not implemented yet ({address.Path}).", "Use socket://HOST:PORT for now.");
}
