using System.Collections.Concurrent;
using Espwire.At.Commands;
using Espwire.At.Errors;
using Espwire.At.Reader;
using Espwire.Protocol.At;

namespace Espwire.At.Net;

/// <summary>
/// The module's five links (AT+CIPMUX=1): opens TCP and UDP sockets, runs the server, and routes each link's
/// events (+IPD data and notices, CONNECT, CLOSED, a reset) to its socket.
/// </summary>
public sealed class LinkMultiplexer : ILinkOperations, IDisposable
{
    private readonly AtModule _module;
    private readonly AtModuleOptions _options;
    private readonly ConcurrentDictionary<int, AtSocket> _sockets = new();
    private readonly SemaphoreSlim _linkGate = new(1, 1);
    private readonly ServerControl _server;
    private readonly IDisposable _subscription;
    private int _opening = -1;
    private bool _netReady;
    private bool _passive;

    internal LinkMultiplexer(AtModule module, AtModuleOptions options)
    {
        _module = module;
        _options = options;
        _server = new ServerControl(module);
        _subscription = module.Channel.Subscribe(OnEvent);
    }

    private AtChannel Channel => _module.Channel;

    /// <summary>AT+CIPSTART a TCP link; returns it as a Stream.</summary>
    public Task<AtSocket> ConnectTcpAsync(string host, int port, CancellationToken cancellationToken = default)
        => OpenLinkAsync(LinkProtocol.Tcp, host, port, null, cancellationToken);

    /// <summary>AT+CIPSTART a UDP link to host:port, optionally from a fixed local port.</summary>
    public Task<AtSocket> ConnectUdpAsync(string host, int port, int? localPort = null, CancellationToken cancellationToken = default)
        => OpenLinkAsync(LinkProtocol.Udp, host, port, localPort, cancellationToken);

    /// <summary>AT+CIPSERVER=1,port: accept TCP clients on the module.</summary>
    public async Task<AtServer> ListenAsync(int port, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (_server.Current is not null) throw new AtException("The module already runs a server.", "The AT firmware allows one server; stop it first.");
        await EnsureNetAsync(cancellationToken).ConfigureAwait(false);
        return await _server.StartAsync(port, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AtSocket> OpenLinkAsync(LinkProtocol protocol, string host, int port, int? localPort, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        await _linkGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureNetAsync(cancellationToken).ConfigureAwait(false);
            var id = Enumerable.Range(0, AtLinks.Count).FirstOrDefault(i => !_sockets.ContainsKey(i), -1);
            if (id < 0) throw new AtException($"All {AtLinks.Count} links of the module are in use.", "Close a socket before opening another.");
            var fromPort = protocol == LinkProtocol.Udp && localPort is { } lp ? $",{lp},0" : "";
            var connect = CommandCatalogue.Connect.For(_module.Dialect, id, protocol == LinkProtocol.Tcp ? "TCP" : "UDP", AtText.Quote(host), port, fromPort)
                with { Timeout = _options.ConnectTimeout };
            Volatile.Write(ref _opening, id);
            var socket = new AtSocket(this, id, protocol, host, port, _passive && protocol == LinkProtocol.Tcp, accepted: false);
            _sockets[id] = socket; // registered first: data can follow CONNECT before OK
            try
            {
                var r = await Channel.RunAsync(connect, cancellationToken).ConfigureAwait(false);
                if (!r.IsOk) throw new AtCommandException(r, FailureExplainer.Explain(r));
            }
            catch
            {
                _sockets.TryRemove(id, out _);
                throw;
            }
            finally
            {
                Volatile.Write(ref _opening, -1);
            }
            return socket;
        }
        finally
        {
            _linkGate.Release();
        }
    }

    private async Task EnsureNetAsync(CancellationToken cancellationToken)
    {
        await _module.ReinitializeIfResetAsync(cancellationToken).ConfigureAwait(false);
        if (_netReady) return;
        var mux = await Channel.RunAsync(CommandCatalogue.Multiplex.Plain(1), cancellationToken).ConfigureAwait(false);
        if (!mux.IsOk && !_sockets.IsEmpty)
            throw new AtCommandException(mux, FailureExplainer.Explain(mux));
        _passive = false;
        if (_options.PassiveReceive)
        {
            var recv = await Channel.RunAsync(CommandCatalogue.ReceiveMode.Plain(1), cancellationToken).ConfigureAwait(false);
            _passive = recv.IsOk; // firmware without passive mode falls back to +IPD pushes
        }
        _netReady = true;
    }

    /// <summary>The module was set up again (after a restart): multiplexing and receive mode must be set again.</summary>
    internal void OnModuleInitialized() => _netReady = false;

    async Task ILinkOperations.SendAsync(int linkId, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        var send = CommandCatalogue.Send.Plain(linkId, chunk.Length).WithPayload(chunk, Channel.Link.BaudRate);
        var r = await Channel.RunAsync(send, cancellationToken).ConfigureAwait(false);
        if (r.Result != ResultCode.SendOk)
        {
            var e = FailureExplainer.Explain(r);
            throw new IOException($"Sending {chunk.Length} bytes on link {linkId} failed: {e.Meaning} {e.NextStep}", new AtCommandException(r, e));
        }
    }

    async Task<byte[]> ILinkOperations.ReceiveAsync(int linkId, int max, CancellationToken cancellationToken)
    {
        var r = await Channel.RunAsync(CommandCatalogue.ReceiveData.Plain(linkId, max), cancellationToken).ConfigureAwait(false);
        return r.IsOk && r.Data is { } data ? data : [];
    }

    async Task ILinkOperations.CloseAsync(int linkId, CancellationToken cancellationToken)
    {
        await Channel.RunAsync(CommandCatalogue.Close.Plain(linkId), cancellationToken).ConfigureAwait(false);
        if (_sockets.TryRemove(linkId, out var s)) s.OnClosed();
    }

    // Runs on the reader's thread: routes link events to sockets and the server.
    private void OnEvent(AtEvent e)
    {
        switch (e)
        {
            case IpdData data:
                if (_sockets.TryGetValue(data.LinkId ?? 0, out var s1)) s1.OnData(data.Data);
                break;
            case IpdNotice notice:
                if (_sockets.TryGetValue(notice.LinkId ?? 0, out var s2)) s2.OnNotice();
                break;
            case UnsolicitedLine { Kind: Unsolicited.LinkClosed or Unsolicited.LinkConnectFailed, LinkId: { } closedId }:
                if (_sockets.TryRemove(closedId, out var s3)) s3.OnClosed();
                break;
            case UnsolicitedLine { Kind: Unsolicited.LinkConnected, LinkId: { } id }:
                if (id != Volatile.Read(ref _opening) && _server.Current is { } server && !_sockets.ContainsKey(id))
                {
                    var accepted = new AtSocket(this, id, LinkProtocol.Tcp, "", server.Port, _passive, accepted: true);
                    _sockets[id] = accepted;
                    server.OnAccepted(accepted);
                }
                break;
            case UnsolicitedLine { Kind: Unsolicited.Ready }:
                foreach (var id in _sockets.Keys)
                    if (_sockets.TryRemove(id, out var s4)) s4.OnClosed();
                _server.Forget();
                _netReady = false;
                break;
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        foreach (var s in _sockets.Values) s.OnClosed();
        _server.Forget();
        _linkGate.Dispose();
    }
}
