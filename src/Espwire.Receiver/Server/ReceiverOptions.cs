using System.Net;
using Espwire.Receiver.Sinks;

namespace Espwire.Receiver.Server;

/// <summary>Everything a receiver needs; the defaults are the seed's (TCP and UDP on 0.0.0.0:12345) plus safe limits.</summary>
public sealed record ReceiverOptions
{
    public const int DefaultPort = 12345;

    /// <summary>TCP listen endpoints. Port 0 picks a free port; read it back from <see cref="Hosting.ReceiverHost.TcpEndpoints"/>.</summary>
    public IReadOnlyList<IPEndPoint> Tcp { get; init; } = [new IPEndPoint(IPAddress.Any, DefaultPort)];

    /// <summary>UDP listen endpoints; empty for none.</summary>
    public IReadOnlyList<IPEndPoint> Udp { get; init; } = [new IPEndPoint(IPAddress.Any, DefaultPort)];

    /// <summary>HTTP endpoints for the live page and API (<c>/</c>, <c>/api/readings</c>, <c>/api/readings/stream</c>,
    /// <c>/api/stats</c>); empty for none.</summary>
    public IReadOnlyList<IPEndPoint> Http { get; init; } = [];

    /// <summary>When set, every HTTP request must show this token (<c>Authorization: Bearer</c>, or <c>?token=</c> once,
    /// which sets an HttpOnly cookie); others get 401. Needed for <see cref="Http"/> endpoints beyond loopback.</summary>
    public string? HttpToken { get; init; }

    /// <summary>SQLite database file; null stores nothing there.</summary>
    public string? DatabasePath { get; init; } = "espwire.db";

    /// <summary>Also append every reading as a JSON line to this file.</summary>
    public string? JsonLinesPath { get; init; }

    /// <summary>Also forward every reading to this MQTT broker (at least once from the database, best effort without one; see <see cref="MqttForwardSink"/>).</summary>
    public MqttForwardOptions? Mqtt { get; init; }

    /// <summary>More sinks, written after the database and JSON lines, in order.</summary>
    public IReadOnlyList<IReadingSink> Sinks { get; init; } = [];

    /// <summary>Longest line kept, in bytes without LF/CRLF. Longer lines are dropped and counted.</summary>
    public int MaxLineLength { get; init; } = 4096;

    public int MaxConnections { get; init; } = 10_000;

    public int MaxConnectionsPerAddress { get; init; } = 1_000;

    /// <summary>A connection that sends nothing for this long is closed. <see cref="Timeout.InfiniteTimeSpan"/> never.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Readings held in memory between the sockets and the sinks. When full, sockets are not read
    /// (backpressure) until the sinks catch up; nothing is dropped.</summary>
    public int QueueCapacity { get; init; } = 100_000;

    /// <summary>Bytes read ahead of the line framer per TCP connection. It bounds memory under backpressure and
    /// what a stop must drain (every line already read from a socket is stored): 50 busy clients x 64 KiB of short
    /// lines is some 650,000 readings to write before the stop completes.</summary>
    public int ReadAheadBytes { get; init; } = 64 * 1024;

    /// <summary>Most readings written to the sinks in one batch (one SQLite transaction).</summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>What a commit, and so an acknowledgement, promises: <see cref="SqliteSync.Normal"/> survives a crash of
    /// the receiver, <see cref="SqliteSync.Full"/> power loss too (an fsync per commit).</summary>
    public SqliteSync Sync { get; init; } = SqliteSync.Normal;

    /// <summary>The TCP listen backlog asked of the kernel (which caps it at net.core.somaxconn): connections the
    /// kernel has completed but the receiver has not yet accepted. Past it, new connections' SYNs are retried.</summary>
    public int ListenBacklog { get; init; } = 65_535;

    /// <summary>Accept devices only from these networks; empty accepts everyone.</summary>
    public IReadOnlyList<IPNetwork> Allow { get; init; } = [];

    /// <summary>How long the live page's web server waits at a stop before aborting what is left.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (Tcp.Count == 0 && Udp.Count == 0) throw new ArgumentException("Give at least one TCP or UDP endpoint.");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 1, nameof(MaxLineLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnectionsPerAddress, 1, nameof(MaxConnectionsPerAddress));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ListenBacklog, 1, nameof(ListenBacklog));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadAheadBytes, 1024, nameof(ReadAheadBytes));
        if (IdleTimeout != Timeout.InfiniteTimeSpan && IdleTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), "Use a positive idle timeout or Timeout.InfiniteTimeSpan.");
    }
}
