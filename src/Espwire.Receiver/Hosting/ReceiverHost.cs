using System.Net;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;
using Espwire.Receiver.Sinks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Espwire.Receiver.Hosting;

/// <summary>A running receiver: an accept loop per TCP endpoint, a socket per UDP endpoint, Kestrel for the live
/// page and API, the queue, the writer and the sinks.
/// Create it, subscribe to its events, <see cref="StartAsync"/>, read <see cref="TcpEndpoints"/>, and
/// <see cref="StopAsync"/> to stop accepting and drain every line already read into the sinks.</summary>
public sealed class ReceiverHost : IAsyncDisposable
{
    private readonly ReceiverOptions _options;
    private readonly ReceiverCore _core;
    private readonly List<IReadingSink> _ownedSinks = [];
    private readonly List<UdpListener> _udp = [];
    private readonly List<TcpListener> _tcp = [];
    private UnwrittenReadings? _unwritten;
    private readonly List<ListenOptions> _httpListens = [];
    private Live.LiveHub? _live;
    private WebApplication? _web;
    private Task _pump = Task.CompletedTask;
    private int _state; // 0 new, 1 started, 2 stopped

    public ReceiverHost(ReceiverOptions options)
    {
        _options = options;
        _core = new ReceiverCore(options);
    }

    /// <summary>A TCP connection was admitted (raised on that connection's thread).</summary>
    public event Action<ConnectionInfo>? ConnectionAccepted
    {
        add => _core.ConnectionAccepted += value;
        remove => _core.ConnectionAccepted -= value;
    }

    /// <summary>Refused peers, dropped lines, idle timeouts: things to log.</summary>
    public event Action<ReceiverNotice>? Notice
    {
        add => _core.Notice += value;
        remove => _core.Notice -= value;
    }

    /// <summary>A reading was written to every sink (raised on the writer's task, in storage order; keep it quick).</summary>
    public event Action<Reading>? ReadingStored;

    public ReceiverOptions Options => _options;

    /// <summary>The bound TCP endpoints, with real ports when port 0 was asked for.</summary>
    public IReadOnlyList<IPEndPoint> TcpEndpoints { get; private set; } = [];

    public IReadOnlyList<IPEndPoint> UdpEndpoints { get; private set; } = [];

    /// <summary>The bound HTTP endpoints of the live page and API, when <see cref="ReceiverOptions.Http"/> asked for them.</summary>
    public IReadOnlyList<IPEndPoint> HttpEndpoints { get; private set; } = [];

    public ReceiverStatsSnapshot Stats => _core.Snapshot();

    /// <summary>The live page's hub (recent readings, the event stream) when <see cref="ReceiverOptions.Http"/> is set.</summary>
    public Live.LiveHub? LiveReadings => _live;

    /// <summary>After a stop while the store could not write: how many readings were not stored and where they
    /// went (one or two sentences for the operator); null when everything was stored.</summary>
    public string? UnwrittenReport { get; private set; }

    /// <summary>The SQLite sink the host opened for <see cref="ReceiverOptions.DatabasePath"/>, if any.</summary>
    internal SqliteReadingSink? Database { get; private set; }

    /// <summary>The MQTT forwarder when <see cref="ReceiverOptions.Mqtt"/> is set: forwarded and failed counts, backlog, connection.</summary>
    public MqttForwardSink? MqttForwarder { get; private set; }

    /// <summary>Completes when the writer ends: after a stop, or faulted when a sink failed (the receiver then stops).</summary>
    public Task Completion => _pump;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("A receiver host starts once.");
        try
        {
            var sinks = new List<IReadingSink>();
            IReadOnlyDictionary<string, long> lastSequences = new Dictionary<string, long>();
            if (_options.DatabasePath is { } db)
            {
                var sqlite = await SqliteReadingSink.OpenAsync(db, _options.Sync, cancellationToken).ConfigureAwait(false);
                Database = sqlite;
                _ownedSinks.Add(sqlite);
                sinks.Add(sqlite);
                lastSequences = sqlite.LastSequences;
            }
            if (_options.JsonLinesPath is { } jsonl)
            {
                var sink = new JsonLinesReadingSink(jsonl);
                _ownedSinks.Add(sink);
                sinks.Add(sink);
            }
            if (_options.Mqtt is { } mqtt)
            {
                // MQTT: at least once from the store (after the database sink, which created it), best effort without one.
                var port = _options.Tcp.Concat(_options.Udp).Select(e => e.Port).FirstOrDefault(ReceiverOptions.DefaultPort);
                var sink = await MqttForwardSink.StartAsync(mqtt with { ClientId = mqtt.ClientId ?? MqttForwardOptions.DefaultClientId(port) },
                    _options.DatabasePath,
                    message => _core.Notify(new ReceiverNotice(NoticeKind.Error, message, null)),
                    message => _core.Notify(new ReceiverNotice(NoticeKind.Mqtt, message, null)), cancellationToken).ConfigureAwait(false);
                _ownedSinks.Add(sink);
                sinks.Add(sink);
                MqttForwarder = sink;
                _core.Mqtt = sink;
            }
            sinks.AddRange(_options.Sinks);

            // Every connection holds a descriptor, waiting ones too: make room for the limits before listening.
            FileDescriptorLimit.RaiseSoftToHard();
            foreach (var endpoint in _options.Tcp)
            {
                try
                {
                    _tcp.Add(new TcpListener(_core, endpoint, _options.ListenBacklog));
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    throw new ListenException("TCP", endpoint, e);
                }
            }
            TcpEndpoints = _tcp.Select(t => t.LocalEndPoint).ToArray();
            foreach (var endpoint in _options.Udp)
            {
                try
                {
                    _udp.Add(new UdpListener(_core, endpoint));
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    throw new ListenException("UDP", endpoint, e);
                }
            }
            UdpEndpoints = _udp.Select(u => u.LocalEndPoint).ToArray();

            if (_options.Http.Count > 0)
            {
                _live = new Live.LiveHub();
                _core.AckHello = _live.MarkAcked;
                _web = BuildKestrel();
                await _web.StartAsync(cancellationToken).ConfigureAwait(false);
                HttpEndpoints = _httpListens.Select(l => l.IPEndPoint!).ToArray();
            }

            var live = _live;
            _unwritten = new UnwrittenReadings(_core, _options.DatabasePath ?? _options.JsonLinesPath);
            var pump = new ReadingPump(_core, sinks, new DeviceSequencer(lastSequences),
                live is null ? () => ReadingStored : () => ReadingStored + live.Publish, _unwritten);
            _pump = Task.Run(pump.RunAsync, CancellationToken.None);
            _ = _pump.ContinueWith(t =>
            {
                _core.Queue.Fail(t.Exception!.GetBaseException());
                _core.BeginStop();
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            foreach (var udp in _udp) udp.Start();
            foreach (var tcp in _tcp) tcp.Start();
        }
        catch
        {
            // A failed start leaves nothing running; a later StopAsync or DisposeAsync has nothing to do.
            Volatile.Write(ref _state, 2);
            await ReleaseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private WebApplication BuildKestrel()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(_core);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        if (_live is not null) builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = _options.StopTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var endpoint in _options.Http)
            {
                kestrel.Listen(endpoint, listen => _httpListens.Add(listen));
            }
        });
        var app = builder.Build();
        if (_live is not null) Live.LiveApi.Map(app, _live, _core, new Live.LiveCounters(_core, _live, () => MqttForwarder));
        return app;
    }

    /// <summary>Stops accepting (TCP and UDP), lets every connection finish the bytes it already read, writes all
    /// queued readings to the sinks, then closes them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) return;
        foreach (var tcp in _tcp) await tcp.StopAcceptingAsync().ConfigureAwait(false);
        _core.BeginStop();
        foreach (var udp in _udp) await udp.DisposeAsync().ConfigureAwait(false);
        _udp.Clear();
        // Sessions end once their last read's lines are queued; the writer keeps draining meanwhile, so this
        // wait is bounded by the read-ahead buffers (MaxReadBufferSize per connection), not by the clients.
        await _core.SessionsDone.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_web is not null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StopTimeout);
            await _web.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        _core.Queue.Complete();
        try
        {
            await _pump.ConfigureAwait(false);
        }
        finally
        {
            if (_unwritten is not null)
            {
                UnwrittenReport = await _unwritten.CloseAsync().ConfigureAwait(false);
                if (UnwrittenReport is not null) _core.Notify(new ReceiverNotice(NoticeKind.Unwritten, UnwrittenReport, null));
            }
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task ReleaseAsync()
    {
        foreach (var tcp in _tcp) await tcp.DisposeAsync().ConfigureAwait(false);
        _tcp.Clear();
        foreach (var udp in _udp) await udp.DisposeAsync().ConfigureAwait(false);
        _udp.Clear();
        if (_web is not null)
        {
            await _web.DisposeAsync().ConfigureAwait(false);
            _web = null;
        }
        foreach (var sink in _ownedSinks)
        {
            try
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // Closing one store must not keep the others (and the core) open; what it held is reported above.
                _core.Notify(new ReceiverNotice(NoticeKind.Error, $"Closing {StoreTrouble.Where(sink)} failed: {e.Message}.", null));
            }
        }
        _ownedSinks.Clear();
        await _core.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == 1) await StopAsync().ConfigureAwait(false);
        else if (_state == 0) await _core.DisposeAsync().ConfigureAwait(false);
    }
}
