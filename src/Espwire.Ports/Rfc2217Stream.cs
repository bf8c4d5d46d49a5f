namespace Espwire.Ports;

/// <summary>The data channel of an <see cref="Rfc2217Link"/>: telnet commands stripped on read, 0xFF doubled on write.</summary>
internal sealed class Rfc2217Stream : Stream
{
    private readonly Rfc2217Link _link;
    private readonly Rfc2217Decoder _decoder = new();
    private readonly byte[] _raw = new byte[16 * 1024];
    private int _pending;

    public Rfc2217Stream(Rfc2217Link link)
    {
        _link = link;
        _decoder.Negotiation += link.OnNegotiation;
    }

    public bool ReadPending => Volatile.Read(ref _pending) != 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        Interlocked.Exchange(ref _pending, 1);
        try
        {
            while (true)
            {
                var want = Math.Min(buffer.Length, _raw.Length);
                var n = await _link.Network.ReadAsync(_raw.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (n == 0) return 0;
                // Decoded data never exceeds the raw bytes, so it fits in buffer.
                var data = _decoder.Decode(_raw.AsSpan(0, n), buffer.Span);
                if (data > 0) return data;
            }
        }
        finally
        {
            Interlocked.Exchange(ref _pending, 0);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Reads and drops what the socket holds (only when no read is outstanding).</summary>
    public void DiscardAvailable(byte[] scratch)
    {
        var n = _link.Network.Socket.Receive(scratch, Math.Min(scratch.Length, _link.Network.Socket.Available), System.Net.Sockets.SocketFlags.None);
        var sink = new byte[n];
        _decoder.Decode(scratch.AsSpan(0, n), sink);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => await _link.SendRawAsync(Rfc2217Decoder.Escape(buffer.Span), cancellationToken).ConfigureAwait(false);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Flush() { }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
