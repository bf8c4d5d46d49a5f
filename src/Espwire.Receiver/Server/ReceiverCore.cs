using System.Collections.Concurrent;
using System.Net;
using System.IO.Pipelines;

namespace Espwire.Receiver.Server;

/// <summary>The receiver's logic, independent of any socket host: admits connections, runs a
/// <see cref="LineSession"/> on each one's <see cref="PipeReader"/>, decodes datagrams, and queues readings.
/// Kestrel (TCP) and <see cref="Hosting.UdpListener"/> are thin hosts of it; tests drive it with in-memory pipes.</summary>
public sealed class ReceiverCore : IAsyncDisposable
{
    private const int MaxRememberedRefusals = 10_000;
    private readonly ConcurrentDictionary<IPAddress, byte> _refusalsLogged = new();
    private readonly ConcurrentDictionary<IPAddress, string> _deviceNames = new();
    private readonly AccessList _access;
    private readonly ConnectionLimiter _limiter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _sessionsDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sessionsGate = new();
    private int _sessions;

    public ReceiverCore(ReceiverOptions options)
    {
        options.Validate();
        Options = options;
        Stats = new ReceiverStats();
        Queue = new ReadingQueue(options.QueueCapacity, Stats);
        Idle = new IdleWatch(options.IdleTimeout);
        _access = new AccessList(options.Allow);
        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerAddress);
    }

    public ReceiverOptions Options { get; }

    internal ReceiverStats Stats { get; }

    internal ReadingQueue Queue { get; }

    internal IdleWatch Idle { get; }

    /// <summary>Cancelled when the receiver stops: sessions finish the bytes they already read, then close.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Raised on the connection's thread when a TCP connection is admitted.</summary>
    public event Action<ConnectionInfo>? ConnectionAccepted;

    /// <summary>Raised for refused peers (once per address), dropped lines (once per connection and kind), idle timeouts.</summary>
    public event Action<ReceiverNotice>? Notice;

    public ReceiverStatsSnapshot Snapshot() => Mqtt is { } mqtt
        ? Stats.Snapshot(Queue.Count) with { MqttBacklog = mqtt.Backlog, MqttBacklogAgeS = Math.Round(mqtt.BacklogAgeSeconds, 3), MqttConnected = mqtt.Connected }
        : Stats.Snapshot(Queue.Count);

    /// <summary>The MQTT forwarder, whose backlog and connection the snapshot reports.</summary>
    internal Sinks.MqttForwardSink? Mqtt { get; set; }

    /// <summary>Serves one TCP connection until it closes, goes idle, or the receiver stops.</summary>
    /// <remarks>One async method per connection (not a wrapper around another): a per-message device opens a
    /// connection per reading, so each state machine and object here is paid once per reading.</remarks>
    public async Task HandleConnectionAsync(PipeReader input, IPEndPoint remote, IPEndPoint? local = null)
    {
        lock (_sessionsGate) _sessions++;
        var admitted = false;
        try
        {
            if (!Admit(remote))
            {
                await input.CompleteAsync().ConfigureAwait(false);
                return;
            }
            admitted = true;
            Interlocked.Increment(ref Stats.ConnectionsAccepted);
            Interlocked.Increment(ref Stats.ConnectionsOpen);
            // Only build the event's argument when someone listens (--quiet still subscribes; the library may not).
            if (ConnectionAccepted is { } accepted) accepted(new ConnectionInfo(remote, local, DateTimeOffset.UtcNow));
            await new LineSession(this, input, remote).RunAsync().ConfigureAwait(false);
        }
        finally
        {
            if (admitted)
            {
                Interlocked.Decrement(ref Stats.ConnectionsOpen);
                _limiter.Release(remote.Address);
            }
            lock (_sessionsGate)
            {
                if (--_sessions == 0 && _stopping.IsCancellationRequested) _sessionsDone.TrySetResult();
            }
        }
    }

    /// <summary>Decodes one UDP datagram (one or more lines; its end ends the last line) and queues its readings.</summary>
    public async ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote)
    {
        if (!_access.Allows(remote.Address))
        {
            Interlocked.Increment(ref Stats.RefusedNotAllowed);
            NoticeRefusal(remote, "is not in --allow");
            return;
        }
        Interlocked.Increment(ref Stats.UdpDatagrams);
        var decoder = new LineDecoder(this, remote, Readings.Transport.Udp);
        decoder.Stamp(Readings.Reading.NowMicros());
        new Framing.LineFramer(Options.MaxLineLength).Frame(new System.Buffers.ReadOnlySequence<byte>(datagram), final: true, decoder, finalRestIsComplete: true);
        if (decoder.TakeBatch() is { } batch) await Queue.EnqueueAsync(batch).ConfigureAwait(false);
    }

    private bool Admit(IPEndPoint remote)
    {
        if (_stopping.IsCancellationRequested) return false;
        if (!_access.Allows(remote.Address))
        {
            Interlocked.Increment(ref Stats.RefusedNotAllowed);
            NoticeRefusal(remote, "is not in --allow");
            return false;
        }
        switch (_limiter.TryAcquire(remote.Address))
        {
            case Admission.Admitted:
                return true;
            case Admission.TooManyConnections:
                Interlocked.Increment(ref Stats.RefusedTooManyConnections);
                NoticeRefusal(remote, $"was refused: {Options.MaxConnections} connections are open (--max-connections)");
                return false;
            default:
                Interlocked.Increment(ref Stats.RefusedTooManyFromAddress);
                NoticeRefusal(remote, $"was refused: it has {Options.MaxConnectionsPerAddress} connections open (--max-per-address)");
                return false;
        }
    }

    private void NoticeRefusal(IPEndPoint remote, string why)
    {
        if (_refusalsLogged.Count >= MaxRememberedRefusals || !_refusalsLogged.TryAdd(remote.Address, 0)) return;
        Notify(new ReceiverNotice(NoticeKind.Refused, $"Peer {Address(remote.Address)} {why}; further refusals of this address are only counted.", remote));
    }

    internal void Notify(ReceiverNotice notice) => Notice?.Invoke(notice);

    /// <summary>The default device name of an address, shared so that a million readings share one string.</summary>
    internal string DeviceNameOf(IPAddress address) =>
        _deviceNames.Count < 100_000 ? _deviceNames.GetOrAdd(address, static a => Address(a)) : Address(address);

    internal static string Address(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>The seed's rendering of a peer: <c>('127.0.0.1', 50027)</c>.</summary>
    public static string Describe(IPEndPoint remote) => $"('{Address(remote.Address)}', {remote.Port})";

    /// <summary>Stops admitting connections and tells every session to finish what it has read.</summary>
    public void BeginStop()
    {
        lock (_sessionsGate)
        {
            if (_stopping.IsCancellationRequested) return;
            _stopping.Cancel();
            if (_sessions == 0) _sessionsDone.TrySetResult();
        }
    }

    /// <summary>Completes when, after <see cref="BeginStop"/>, every session has queued its last lines and ended.</summary>
    public Task SessionsDone => _sessionsDone.Task;

    public async ValueTask DisposeAsync()
    {
        await Idle.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
