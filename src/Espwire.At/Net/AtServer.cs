using System.Threading.Channels;

namespace Espwire.At.Net;

/// <summary>AT+CIPSERVER: a TCP server on the module. Each client that connects (<c>id,CONNECT</c>) is accepted as an <see cref="AtSocket"/>.</summary>
public sealed class AtServer : IAsyncDisposable
{
    private readonly Channel<AtSocket> _accepted = Channel.CreateBounded<AtSocket>(new BoundedChannelOptions(5) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Func<Task> _stop;

    internal AtServer(int port, Func<Task> stop)
    {
        Port = port;
        _stop = stop;
    }

    public int Port { get; }

    /// <summary>
    /// Where a client really reaches the server when the module is Espwire's emulator (loopback, as it maps the
    /// module's LAN address there); null on real hardware, where the module's own address and <see cref="Port"/> are it.
    /// </summary>
    public System.Net.IPEndPoint? ReachableAt { get; init; }

    /// <summary>Waits for the next client. The module takes at most 5 links (ids 0..4).</summary>
    public ValueTask<AtSocket> AcceptAsync(CancellationToken cancellationToken = default) => _accepted.Reader.ReadAsync(cancellationToken);

    internal void OnAccepted(AtSocket socket) => _accepted.Writer.TryWrite(socket);

    internal void Complete() => _accepted.Writer.TryComplete();

    public async ValueTask DisposeAsync()
    {
        Complete();
        await _stop().ConfigureAwait(false);
    }
}
