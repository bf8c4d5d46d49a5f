namespace Espwire.Ports;

/// <summary>Opens a device link from a port string; <c>auto</c> picks the one ESP USB adapter (<see cref="AutoPort"/>).</summary>
public static class DeviceLink
{
    public static Task<IDeviceLink> OpenAsync(string port, LinkOptions? options = null, CancellationToken cancellationToken = default)
        => OpenAsync(PortAddress.Parse(AutoPort.Resolve(port)), options ?? new LinkOptions(), cancellationToken);

    public static async Task<IDeviceLink> OpenAsync(PortAddress address, LinkOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        return address.Kind switch
        {
            PortKind.Socket => await SocketLink.ConnectAsync(address, options, cancellationToken).ConfigureAwait(false),
            PortKind.Rfc2217 => await Rfc2217Link.ConnectAsync(address, options, cancellationToken).ConfigureAwait(false),
            _ => SerialLink.Open(address, options),
        };
    }
}
