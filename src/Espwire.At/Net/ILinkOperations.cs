namespace Espwire.At.Net;

/// <summary>What a socket needs from the module: the three link commands. <see cref="LinkMultiplexer"/> implements it.</summary>
internal interface ILinkOperations
{
    /// <summary>AT+CIPSEND=id,len then the bytes (at most <see cref="AtSocket.MaxChunk"/>).</summary>
    Task SendAsync(int linkId, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);

    /// <summary>AT+CIPRECVDATA=id,max; an empty array when nothing waits.</summary>
    Task<byte[]> ReceiveAsync(int linkId, int max, CancellationToken cancellationToken);

    /// <summary>AT+CIPCLOSE=id.</summary>
    Task CloseAsync(int linkId, CancellationToken cancellationToken);
}
