using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>MQTTnet's TCP (or TLS) channel with buffered reads and coalesced writes. MQTTnet writes every packet to
/// the socket on its own (two writes with the payload apart) and reads every packet with two or three reads; at tens
/// of thousands of publishes a second those system calls, and the broker's wake-ups for each, cost more than
/// everything else. Here a packet is copied into a pending buffer and one writer task sends whatever has gathered
/// while the previous write was under way; reads fill 64 KB at a time. Order is kept (one buffer, one writer).</summary>
/// <remarks>A write returns once its bytes are in the buffer (up to <see cref="HighWater"/> waiting, beyond it
/// the writer waits for room), so a completed QoS 0 publish is not yet sent: <see cref="FlushAsync"/> says when
/// it is, without waiting for what is written after it (the forwarder keeps publishing meanwhile). A failed socket write fails every later write and flush and closes the inner channel, so MQTTnet's
/// reader sees the connection end and fails what awaits a PUBACK.</remarks>
internal sealed class CoalescingMqttChannel(IMqttChannel inner) : IMqttChannel
{
    /// <summary>Bytes that may wait for the socket before a writer has to wait too.</summary>
    public const int HighWater = 1 << 20;

    private readonly byte[] _read = new byte[64 * 1024];
    private int _readStart;
    private int _readEnd;

    private readonly Lock _gate = new();
    private byte[] _pending = new byte[64 * 1024];
    private byte[] _spare = new byte[64 * 1024];
    private int _pendingLength;
    private bool _writing;
    private Exception? _error;
    private TaskCompletionSource? _room;
    // Bytes ever handed to the channel and ever written to the socket; a flush waits for its position to be written.
    private long _appended;
    private long _sent;
    private readonly Queue<(long Position, TaskCompletionSource Done)> _flushes = new();

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        // The DISCONNECT packet (and what came before it) goes out before the socket closes.
        try
        {
            await FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException)
        {
            // Closing anyway: what did not go out is resent from the outbox on the next connection.
        }
        await inner.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_readStart == _readEnd)
        {
            _readStart = _readEnd = 0;
            var got = await inner.ReadAsync(_read, 0, _read.Length, cancellationToken).ConfigureAwait(false);
            if (got <= 0) return got;
            _readEnd = got;
        }
        var n = Math.Min(count, _readEnd - _readStart);
        Buffer.BlockCopy(_read, _readStart, buffer, offset, n);
        _readStart += n;
        return n;
    }

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        var start = false;
        var wait = Task.CompletedTask;
        lock (_gate)
        {
            if (_error is { } error) return Task.FromException(Failed(error));
            var length = _pendingLength + checked((int)buffer.Length);
            if (length > _pending.Length) Array.Resize(ref _pending, Math.Max(length, _pending.Length * 2));
            buffer.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength = length;
            _appended += buffer.Length;
            if (!_writing) _writing = start = true;
            if (_pendingLength > HighWater) wait = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (start) ThreadPool.UnsafeQueueUserWorkItem(static channel => _ = channel.WriteLoopAsync(), this, preferLocal: false);
        return wait;
    }

    /// <summary>Completes when every byte written before the call is in the socket (bytes written after it are not
    /// waited for); fails if the socket failed.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_error is { } error) return Task.FromException(Failed(error));
            if (_sent >= _appended) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushes.Enqueue((_appended, done));
            return done.Task;
        }
    }

    // The flushes whose position the socket has now reached (positions only grow, so they are at the front).
    private List<TaskCompletionSource>? TakeReachedFlushes()
    {
        List<TaskCompletionSource>? reached = null;
        while (_flushes.TryPeek(out var flush) && flush.Position <= _sent)
        {
            _flushes.Dequeue();
            (reached ??= []).Add(flush.Done);
        }
        return reached;
    }

    private async Task WriteLoopAsync()
    {
        while (true)
        {
            byte[] batch;
            int length;
            TaskCompletionSource? room;
            lock (_gate)
            {
                room = _room;
                _room = null;
                batch = _pending;
                length = _pendingLength;
                if (length == 0)
                {
                    _writing = false;
                }
                else
                {
                    (_pending, _spare) = (_spare, _pending);
                    _pendingLength = 0;
                }
            }
            room?.TrySetResult();
            if (length == 0) return;
            List<TaskCompletionSource>? reached;
            try
            {
                await inner.WriteAsync(new ReadOnlySequence<byte>(batch, 0, length), true, CancellationToken.None).ConfigureAwait(false);
                lock (_gate)
                {
                    _sent += length;
                    reached = TakeReachedFlushes();
                }
            }
            catch (Exception e)
            {
                List<TaskCompletionSource> failed = [];
                lock (_gate)
                {
                    _error = e;
                    _writing = false;
                    room = _room;
                    _room = null;
                    while (_flushes.TryDequeue(out var flush)) failed.Add(flush.Done);
                }
                room?.TrySetException(Failed(e));
                foreach (var flush in failed) flush.TrySetException(Failed(e));
                // The reader is waiting on the same socket: closing it ends the connection for MQTTnet too.
                inner.Dispose();
                return;
            }
            if (reached is not null)
                foreach (var flush in reached) flush.TrySetResult();
        }
    }

    private static IOException Failed(Exception error) => new($"the connection to the MQTT broker failed: {error.GetBaseException().Message}", error);

    public void Dispose() => inner.Dispose();
}

/// <summary>Makes MQTTnet's channel adapters over a <see cref="CoalescingMqttChannel"/>, as MQTTnet's own factory
/// does over its TCP channel; <see cref="Current"/> is the latest connection's channel.</summary>
internal sealed class CoalescingAdapterFactory : IMqttClientAdapterFactory
{
    private volatile CoalescingMqttChannel? _current;

    public CoalescingMqttChannel? Current => _current;

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChannelOptions is not MqttClientTcpOptions) throw new NotSupportedException("The forwarder connects over TCP (mqtt:// or mqtts://).");
        var channel = new CoalescingMqttChannel(new MqttTcpChannel(options));
        _current = channel;
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        // Fragmentation on: the header and the payload are copied into the pending buffer one after the other
        // (without it MQTTnet joins them into a new array first).
        return new MqttChannelAdapter(channel, formatter, logger) { AllowPacketFragmentation = true, PacketInspector = packetInspector };
    }
}
