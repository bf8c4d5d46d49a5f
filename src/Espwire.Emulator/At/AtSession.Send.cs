using Espwire.Emulator.At.Links;

namespace Espwire.Emulator.At;

/// <summary>AT+CIPSEND and AT+CIPSENDEX data: exactly N bytes after the prompt, then Recv / SEND OK.</summary>
public sealed partial class AtSession
{
    private sealed class SendState(AtLink link, int length, bool extended)
    {
        public AtLink Link { get; } = link;
        public int Length { get; } = length;
        public bool Extended { get; } = extended;
        public byte[] Data { get; } = new byte[length];
        public int Received { get; set; }
        public bool SawBackslash { get; set; }
    }

    /// <summary>After OK and the prompt: the next <paramref name="length"/> bytes are data for <paramref name="link"/>.</summary>
    internal void BeginSend(AtLink link, int length, bool extended)
    {
        _send = new SendState(link, length, extended);
        _mode = InputMode.SendData;
    }

    private async Task<int> TakeSendDataAsync(byte[] chunk, int i, CancellationToken ct)
    {
        var send = _send!;
        var done = false;
        while (i < chunk.Length && !done)
        {
            var b = chunk[i++];
            if (send.Extended)
            {
                // AT+CIPSENDEX: the two characters \0 end the data early.
                if (send.SawBackslash)
                {
                    send.SawBackslash = false;
                    if (b == (byte)'0')
                    {
                        done = true;
                        break;
                    }
                    send.Data[send.Received++] = (byte)'\\';
                    if (send.Received == send.Length)
                    {
                        i--;
                        done = true;
                        break;
                    }
                }
                if (b == (byte)'\\')
                {
                    send.SawBackslash = true;
                    continue;
                }
            }
            send.Data[send.Received++] = b;
            if (send.Received == send.Length) done = true;
        }
        if (done)
        {
            _mode = InputMode.Command;
            _send = null;
            // Bytes beyond the announced length, in the same burst: the firmware answers busy and drops them.
            var extra = i < chunk.Length;
            await FinishSendAsync(send, extra, ct).ConfigureAwait(false);
            if (extra)
            {
                Module.Note($"{chunk.Length - i} bytes beyond the CIPSEND length dropped");
                return chunk.Length;
            }
        }
        return i;
    }

    private async Task FinishSendAsync(SendState send, bool extra, CancellationToken ct)
    {
        await Output.WriteAsync($"\r\nRecv {send.Received} bytes\r\n", ct).ConfigureAwait(false);
        if (extra) await Output.WriteAsync("busy s...\r\n", ct).ConfigureAwait(false);
        var ok = await send.Link.SendAsync(send.Data.AsMemory(0, send.Received), ct).ConfigureAwait(false);
        await Output.WriteAsync(ok ? "\r\nSEND OK\r\n" : "\r\nSEND FAIL\r\n", ct).ConfigureAwait(false);
    }
}
