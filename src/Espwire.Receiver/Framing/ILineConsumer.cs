namespace Espwire.Receiver.Framing;

/// <summary>Receives what <see cref="LineFramer"/> cuts out of a byte stream.</summary>
public interface ILineConsumer
{
    /// <summary>A line without its LF or CRLF. <paramref name="partial"/>: no newline ended it (the stream closed).</summary>
    void OnLine(ReadOnlySpan<byte> line, bool partial);

    void OnDrop(LineDrop drop);

    /// <summary>A dropped line, with its first bytes when known (enough for a <c>#SEQ</c>, so it can be answered <c>NAK</c>).</summary>
    void OnDrop(LineDrop drop, ReadOnlySpan<byte> lineStart) => OnDrop(drop);
}
