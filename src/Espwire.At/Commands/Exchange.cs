namespace Espwire.At.Commands;

/// <summary>
/// One run of a <see cref="CommandSpec"/>: the exact line sent, the reply line for this dialect, the timeout and
/// (for AT+CIPSEND) the bytes that go after the <c>&gt;</c> prompt.
/// </summary>
public sealed record Exchange(CommandSpec Spec, string Text, TimeSpan Timeout)
{
    /// <summary>The line a successful reply must carry, in this dialect's spelling. After a timeout, a late OK that
    /// lacks it belongs to the earlier command and is skipped instead of ending this one.</summary>
    public string? ReplyLine { get; init; }

    /// <summary>Bytes sent after the prompt; null for commands without one.</summary>
    public ReadOnlyMemory<byte>? Payload { get; init; }

    /// <summary>The same exchange with <paramref name="payload"/> after the prompt; the timeout grows with the time the bytes take on the wire.</summary>
    public Exchange WithPayload(ReadOnlyMemory<byte> payload, int baudRate)
    {
        var wire = TimeSpan.FromSeconds(payload.Length * 10.0 / Math.Max(baudRate, 300));
        return this with { Payload = payload, Timeout = Timeout + wire + wire };
    }

    public override string ToString() => Text;
}
