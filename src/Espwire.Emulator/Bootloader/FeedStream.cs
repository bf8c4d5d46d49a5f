namespace Espwire.Emulator.Bootloader;

/// <summary>
/// A read-only stream over bytes appended as they arrive. A read with nothing queued returns 0, which a
/// ZLibStream takes as "no input yet", so each FLASH_DEFL_DATA block inflates as soon as it arrives.
/// </summary>
internal sealed class FeedStream : Stream
{
    private readonly Queue<byte[]> _chunks = new();
    private int _offset;

    public void Append(byte[] chunk) => _chunks.Enqueue(chunk);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = 0;
        while (n < buffer.Length && _chunks.Count > 0)
        {
            var head = _chunks.Peek();
            var take = Math.Min(buffer.Length - n, head.Length - _offset);
            head.AsSpan(_offset, take).CopyTo(buffer[n..]);
            n += take;
            _offset += take;
            if (_offset == head.Length) { _chunks.Dequeue(); _offset = 0; }
        }
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
