using Espwire.Protocol.At;
namespace Espwire.At.Net;

/// <summary>
/// A TCP or UDP link on the module as a .NET <see cref="Stream"/>. Writes go out as AT+CIPSEND in chunks of at
/// most 2048 bytes; reads pull data with AT+CIPRECVDATA when the module holds it (passive receive, so nothing
/// is lost at 115200) or take +IPD data pushed in active mode. Read returns 0 once the link is closed and drained.
/// </summary>
public sealed class AtSocket : Stream
{
    /// <summary>The firmware's limit for one AT+CIPSEND.</summary>
    public const int MaxChunk = AtLinks.MaxChunk;

    // Checked this often for data whose +IPD notice was lost (a known AT firmware weakness).
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly ILinkOperations _ops;
    private readonly object _sync = new();
    private readonly Queue<byte[]> _received = new();
    private int _offset;
    private bool _noticed;
    private bool _closedByPeer;
    private bool _disposed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal AtSocket(ILinkOperations ops, int linkId, LinkProtocol protocol, string remoteHost, int remotePort, bool passive, bool accepted)
    {
        _ops = ops;
        LinkId = linkId;
        Protocol = protocol;
        RemoteHost = remoteHost;
        RemotePort = remotePort;
        Passive = passive;
        Accepted = accepted;
        // A link may already hold data when we first see it (an accepted client that talks first).
        _noticed = passive;
    }

    public int LinkId { get; }
    public LinkProtocol Protocol { get; }
    public string RemoteHost { get; }
    public int RemotePort { get; }
    /// <summary>True when the module keeps received data until asked (AT+CIPRECVMODE=1).</summary>
    public bool Passive { get; }
    /// <summary>True for a client accepted by <see cref="AtServer"/>.</summary>
    public bool Accepted { get; }
    /// <summary>True once the module said <c>id,CLOSED</c>.</summary>
    public bool IsClosed { get { lock (_sync) return _closedByPeer; } }

    public long BytesSent { get; private set; }
    public long BytesReceived { get; private set; }

    internal void OnData(byte[] data)
    {
        lock (_sync)
        {
            if (data.Length > 0) _received.Enqueue(data);
            Signal();
        }
    }

    internal void OnNotice()
    {
        lock (_sync)
        {
            _noticed = true;
            Signal();
        }
    }

    internal void OnClosed()
    {
        lock (_sync)
        {
            _closedByPeer = true;
            Signal();
        }
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.Length == 0) return 0;
        while (true)
        {
            Task changed;
            bool pull;
            bool closed;
            lock (_sync)
            {
                if (_received.Count > 0) return TakeBuffered(buffer.Span);
                // A notice means the module holds data for us, whatever mode we asked for (some firmware keeps UDP passive too).
                pull = _noticed;
                _noticed = false;
                closed = _closedByPeer;
                changed = _changed.Task;
            }
            if (pull)
            {
                var data = await _ops.ReceiveAsync(LinkId, Math.Min(buffer.Length, MaxChunk), cancellationToken).ConfigureAwait(false);
                if (data.Length > 0)
                {
                    lock (_sync) _noticed = true; // there may be more waiting
                    data.CopyTo(buffer);
                    BytesReceived += data.Length;
                    return data.Length;
                }
                continue;
            }
            if (closed) return 0;
            var poll = Task.Delay(PollInterval, cancellationToken);
            var first = await Task.WhenAny(changed, poll).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == poll && Passive)
                lock (_sync) _noticed = true;
        }
    }

    private int TakeBuffered(Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length && _received.Count > 0)
        {
            var head = _received.Peek();
            var n = Math.Min(head.Length - _offset, destination.Length - total);
            head.AsSpan(_offset, n).CopyTo(destination[total..]);
            total += n;
            _offset += n;
            if (_offset == head.Length)
            {
                _received.Dequeue();
                _offset = 0;
            }
        }
        BytesReceived += total;
        return total;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var sent = 0; sent < buffer.Length; sent += MaxChunk)
        {
            if (IsClosed) throw new IOException($"Link {LinkId} to {RemoteHost}:{RemotePort} is closed.");
            var chunk = buffer.Slice(sent, Math.Min(MaxChunk, buffer.Length - sent));
            await _ops.SendAsync(LinkId, chunk, cancellationToken).ConfigureAwait(false);
            BytesSent += chunk.Length;
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
        => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count)
        => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override bool CanRead => !_disposed;
    public override bool CanWrite => !_disposed;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!IsClosed)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _ops.CloseAsync(LinkId, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Commands.AtException or IOException or OperationCanceledException)
            {
                // The link or the module is gone already; nothing left to close.
            }
        }
        OnClosed();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed) DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }
}
