namespace Espwire.Flasher.Tests.Support;

/// <summary>Passes bytes through and keeps a copy of everything read (what the host received).</summary>
internal sealed class RecordingStream(Stream inner) : Stream
{
    private readonly MemoryStream _received = new();

    public byte[] Received
    {
        get { lock (_received) return _received.ToArray(); }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Record(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Record(buffer.Span, n);
    }

    private int Record(ReadOnlySpan<byte> buffer, int n)
    {
        lock (_received) _received.Write(buffer[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
