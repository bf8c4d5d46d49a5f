using System.IO.Pipelines;

namespace Espwire.Testing;

/// <summary>One stream that reads from one side and writes to another: an end of an in-memory null-modem cable between host and module.</summary>
public sealed class DuplexStream : Stream
{
    private readonly Stream _read;
    private readonly Stream _write;
    private readonly bool _disposesRead;

    /// <summary>Reads from <paramref name="read"/>, writes to <paramref name="write"/>; disposing it disposes both.</summary>
    public DuplexStream(Stream read, Stream write)
        : this(read, write, disposesRead: true)
    {
    }

    private DuplexStream(Stream read, Stream write, bool disposesRead)
    {
        _read = read;
        _write = write;
        _disposesRead = disposesRead;
    }

    /// <summary>
    /// Two connected ends. Disposing an end completes only its write side (the far end then reads end of stream):
    /// its own read side may still have a read pending on the task serving it.
    /// </summary>
    public static (DuplexStream Host, DuplexStream Module) CreatePair()
    {
        var a = new Pipe();
        var b = new Pipe();
        return (new DuplexStream(a.Reader.AsStream(), b.Writer.AsStream(), disposesRead: false),
                new DuplexStream(b.Reader.AsStream(), a.Writer.AsStream(), disposesRead: false));
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => _write.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _read.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _read.ReadAsync(buffer, offset, count, cancellationToken);
    public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write.WriteAsync(buffer, cancellationToken);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _write.WriteAsync(buffer, offset, count, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _write.Dispose();
            if (_disposesRead) _read.Dispose();
        }
        base.Dispose(disposing);
    }
}
