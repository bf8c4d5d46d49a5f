namespace Espwire.At.Commands;

/// <summary>
/// One AT command as data: the line to send, how long the module may take, and (for AT+CIPSEND) the raw bytes
/// that go after the <c>&gt;</c> prompt. The reply's shape is judged by <see cref="Espwire.At.Reader.ResultCode"/>.
/// </summary>
public sealed record AtCommand(string Text, TimeSpan Timeout)
{
    /// <summary>Ordinary commands answer in well under a second; the firmware guide allows a few.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Bytes sent after the prompt (AT+CIPSEND); null for commands without a prompt.</summary>
    public ReadOnlyMemory<byte>? Payload { get; init; }

    /// <summary>
    /// The line a successful reply must carry (e.g. <c>+CWMODE_CUR:</c> for the mode query). After a timeout, a late
    /// OK that lacks it belongs to the earlier command and is skipped instead of ending this one.
    /// </summary>
    public string? ReplyPrefix { get; init; }

    /// <summary>How many times a <c>busy p...</c> reply makes the command wait and go again.</summary>
    public int BusyRetries { get; init; } = 20;

    public static AtCommand Of(string text) => new(text, DefaultTimeout);

    public static AtCommand Of(string text, TimeSpan timeout) => new(text, timeout);

    /// <summary>AT+CIPSEND style: the payload follows the prompt. The timeout grows with the time the bytes take on the wire.</summary>
    public static AtCommand WithPayload(string text, ReadOnlyMemory<byte> payload, int baudRate)
    {
        var wire = TimeSpan.FromSeconds(payload.Length * 10.0 / Math.Max(baudRate, 300));
        return new AtCommand(text, DefaultTimeout + wire + wire) { Payload = payload };
    }

    public override string ToString() => Text;
}
