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
    private readonly ConcurrentDictionary<IPAddress, byte> _waitsLogged = new();
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

    /// <summary>Acknowledged devices get <c>ACK</c>s: only with a database (<c>--no-db</c> sends none).</summary>
    public bool AcknowledgementsEnabled => Options.DatabasePath is not null;

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

    /// <summary>Connections waiting for a slot under the limits right now.</summary>
    internal int ConnectionsWaiting => _limiter.Waiting;

    /// <summary>Serves one TCP connection until it closes, goes idle, or the receiver stops.</summary>
    public Task HandleConnectionAsync(PipeReader input, IPEndPoint remote, IPEndPoint? local = null) =>
        HandleConnectionAsync(new DeviceConnection(input, remote, local));

    /// <summary>Serves one TCP connection until it closes, goes idle, or the receiver stops. A connection past
    /// <see cref="ReceiverOptions.MaxConnections"/> or <see cref="ReceiverOptions.MaxConnectionsPerAddress"/> waits,
    /// unread, for a slot; it is closed while waiting only when it stays idle (nothing unread) past the idle timeout.</summary>
    /// <remarks>One async method per connection (not a wrapper around another): a per-message device opens a
    /// connection per reading, so each state machine and object here is paid once per reading.</remarks>
    public async Task HandleConnectionAsync(DeviceConnection connection)
    {
        var remote = connection.Remote;
        lock (_sessionsGate) _sessions++;
        var admitted = false;
        try
        {
            if (_stopping.IsCancellationRequested || !Allowed(remote))
            {
                await connection.Input.CompleteAsync().ConfigureAwait(false);
                return;
            }
            var why = _limiter.TryAcquire(remote.Address);
            if (why != Admission.Admitted && !await WaitForSlotAsync(connection, why).ConfigureAwait(false))
            {
                await connection.Input.CompleteAsync().ConfigureAwait(false);
                return;
            }
            admitted = true;
            Interlocked.Increment(ref Stats.ConnectionsAccepted);
            Interlocked.Increment(ref Stats.ConnectionsOpen);
            connection.Admitted();
            // Only build the event's argument when someone listens (--quiet still subscribes; the library may not).
            if (ConnectionAccepted is { } accepted) accepted(new ConnectionInfo(remote, connection.Local, DateTimeOffset.UtcNow));
            await new LineSession(this, connection).RunAsync().ConfigureAwait(false);
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

    /// <summary>Waits, unread, for a slot. False: the receiver stopped, or the connection sat idle past the timeout.</summary>
    private async Task<bool> WaitForSlotAsync(DeviceConnection connection, Admission why)
    {
        var remote = connection.Remote;
        Interlocked.Increment(ref Stats.ConnectionsWaited);
        Interlocked.Increment(ref Stats.ConnectionsWaiting);
        NoticeWait(remote, why == Admission.TooManyConnections
            ? $"waits: {Options.MaxConnections} connections are open (--max-connections)"
            : $"waits: it has {Options.MaxConnectionsPerAddress} connections open (--max-per-address)");
        try
        {
            var idle = Options.IdleTimeout;
            while (true)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                if (idle != Timeout.InfiniteTimeSpan) wait.CancelAfter(idle);
                try
                {
                    await _limiter.WaitAsync(remote.Address, wait.Token).ConfigureAwait(false);
                    return true;
                }
                catch (OperationCanceledException)
                {
                    if (_stopping.IsCancellationRequested) return false;
                    // Idle means nothing unread: bytes waiting in the kernel keep it in line.
                    if (connection.HasUnreadBytes) continue;
                    Interlocked.Increment(ref Stats.IdleTimeouts);
                    Notify(new ReceiverNotice(NoticeKind.IdleTimeout,
                        $"Closed {Describe(remote)} while it waited for a slot: nothing received for {idle.TotalSeconds:0.###} s (--idle-timeout).", remote));
                    return false;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref Stats.ConnectionsWaiting);
        }
    }

    /// <summary>Decodes one UDP datagram (one or more lines; its end ends the last line) and queues its readings.
    /// <paramref name="ackFactory"/> makes the datagram's answer when it starts with an acknowledged hello.</summary>
    public ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote) => HandleDatagramAsync(datagram, remote, null);

    internal async ValueTask HandleDatagramAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, Func<AckTarget?>? ackFactory)
    {
        if (!_access.Allows(remote.Address))
        {
            Interlocked.Increment(ref Stats.RefusedNotAllowed);
            NoticeRefusal(remote, "is not in --allow");
            return;
        }
        Interlocked.Increment(ref Stats.UdpDatagrams);
        var decoder = new LineDecoder(this, remote, Readings.Transport.Udp, AcknowledgementsEnabled ? ackFactory : null);
        decoder.Stamp(Readings.Reading.NowMicros());
        new Framing.LineFramer(Options.MaxLineLength).Frame(new System.Buffers.ReadOnlySequence<byte>(datagram), final: true, decoder, finalRestIsComplete: true);
        if (decoder.TakeBatch() is { } batch) await Queue.EnqueueAsync(batch).ConfigureAwait(false);
        decoder.Ack?.InputEndedAsync();
    }

    private bool Allowed(IPEndPoint remote)
    {
        if (_access.Allows(remote.Address)) return true;
        Interlocked.Increment(ref Stats.RefusedNotAllowed);
        NoticeRefusal(remote, "is not in --allow");
        return false;
    }

    private void NoticeWait(IPEndPoint remote, string why)
    {
        if (_waitsLogged.Count >= MaxRememberedRefusals || !_waitsLogged.TryAdd(remote.Address, 0)) return;
        Notify(new ReceiverNotice(NoticeKind.Waiting, $"Peer {Address(remote.Address)} {why}; it is read as soon as one closes. Further waits of this address are only counted.", remote));
    }

    private void NoticeRefusal(IPEndPoint remote, string why)
    {
        if (_refusalsLogged.Count >= MaxRememberedRefusals || !_refusalsLogged.TryAdd(remote.Address, 0)) return;
        Notify(new ReceiverNotice(NoticeKind.Refused, $"Peer {Address(remote.Address)} {why}; further refusals of this address are only counted.", remote));
    }

    internal void Notify(ReceiverNotice notice) => Notice?.Invoke(notice);

    /// <summary>Called with the device's name on each <c>@id NAME ack</c> hello (the live page marks it acked).</summary>
    internal Action<string>? AckHello { get; set; }

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
