using System.Net.Sockets;

namespace Espwire.Ports;

/// <summary><c>socket://host:port</c>: raw bytes over TCP. Carries no baud rate and no modem lines.</summary>
public sealed class SocketLink : IDeviceLink
{
    private readonly TcpClient _client;

    private SocketLink(string name, TcpClient client, int baudRate)
    {
        Name = name;
        _client = client;
        Stream = client.GetStream();
        BaudRate = baudRate;
    }

    public string Name { get; }
    public Stream Stream { get; }
    public bool SupportsSignals => false;
    public bool SupportsBaudRate => false;
    public int BaudRate { get; private set; }

    public static async Task<SocketLink> ConnectAsync(PortAddress address, LinkOptions options, CancellationToken cancellationToken)
    {
        var client = await ConnectTcpAsync(address, options,
            $"Check that the emulator or serial server is running there (espwire emulate --listen {HostPort(address)}), and the host and port.",
            cancellationToken).ConfigureAwait(false);
        return new SocketLink(address.Path, client, options.BaudRate);
    }

    /// <summary>The address as --listen takes it: HOST:PORT, an IPv6 host in brackets.</summary>
    internal static string HostPort(PortAddress address)
        => address.Host.Contains(':', StringComparison.Ordinal) ? $"[{address.Host}]:{address.Port}" : $"{address.Host}:{address.Port}";

    /// <summary>Connects a TCP client for a network port string, within <see cref="LinkOptions.ConnectTimeout"/>;
    /// a refusal or a timeout becomes a <see cref="PortException"/> carrying <paramref name="hint"/>.</summary>
    internal static async Task<TcpClient> ConnectTcpAsync(PortAddress address, LinkOptions options, string hint, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await client.ConnectAsync(address.Host, address.Port, timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new PortException(
                $"Could not connect to {address.Path}: {(e is SocketException se ? se.SocketErrorCode.ToString() : "timed out")}.", hint, e);
        }
    }

    public Task SetBaudRateAsync(int baudRate, CancellationToken cancellationToken = default)
    {
        BaudRate = baudRate;
        return Task.CompletedTask;
    }

    public Task SetSignalsAsync(bool? dtr, bool? rts, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task DiscardInputAsync(CancellationToken cancellationToken = default)
    {
        var socket = _client.Client;
        var buffer = new byte[4096];
        while (socket.Available > 0)
            socket.Receive(buffer, Math.Min(buffer.Length, socket.Available), SocketFlags.None);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
