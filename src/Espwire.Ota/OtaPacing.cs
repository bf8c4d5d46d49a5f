namespace Espwire.Ota;

/// <summary>How the image is sent over the device's TCP connection.</summary>
public enum OtaPacing
{
    /// <summary>Keep the connection full and read the device's byte-count replies alongside; TCP flow control paces it.</summary>
    Streamed,

    /// <summary>espota.py's way: one chunk, then wait for a reply before the next (a round trip per 1460 bytes).</summary>
    OneChunkPerReply,
}
