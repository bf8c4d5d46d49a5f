namespace Espwire.Receiver.Readings;

/// <summary>What a queue entry that is not a reading asks the writer to answer (docs/ack-protocol.md).</summary>
internal enum ReplyMarker : byte
{
    None = 0,
    /// <summary><c>@id NAME ack</c>: answer <c>ACK N</c>, the highest seq stored for the device.</summary>
    Hello = 1,
    /// <summary>A rejected <c>#SEQ</c> line: answer <c>NAK SEQ REASON</c>.</summary>
    Nak = 2,
}
