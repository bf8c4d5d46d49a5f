using Espwire.Testing;
using Espwire.Protocol.Rom;
using System.IO.Pipelines;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Tests.Support;

/// <summary>
/// A fake device that answers each request frame with what a test script returns (zero or more raw frames), to
/// stage lost replies, damaged blocks and a device that goes silent.
/// Not Espwire.Testing's ScriptedLink (AT command lines): this one speaks the ROM's SLIP-framed protocol.
/// </summary>
internal sealed class ScriptedDevice : IAsyncDisposable
{
    private readonly Pipe _toDevice = new();
    private readonly Pipe _toHost = new();
    private readonly Task _run;

    public ScriptedDevice(Func<byte[], int, IEnumerable<byte[]>> script)
    {
        Link = new SignalRecordingLink(new DuplexStream(_toHost.Reader.AsStream(), _toDevice.Writer.AsStream()));
        _run = Task.Run(async () =>
        {
            var decoder = new SlipDecoder();
            var frames = new List<byte[]>();
            var index = 0;
            var reader = _toDevice.Reader;
            while (true)
            {
                var result = await reader.ReadAsync();
                foreach (var segment in result.Buffer) decoder.Feed(segment.Span, frames);
                reader.AdvanceTo(result.Buffer.End);
                foreach (var frame in frames)
                {
                    Received.Add(frame);
                    foreach (var reply in script(frame, index++))
                        await _toHost.Writer.WriteAsync(IsRaw(reply) ? reply : Slip.Encode(reply));
                }
                frames.Clear();
                if (result.IsCompleted) break;
            }
        });
    }

    private static readonly HashSet<byte[]> RawBytes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Marks bytes to send as they are, outside any frame (a boot log, noise).</summary>
    public static byte[] Raw(byte[] bytes)
    {
        lock (RawBytes) RawBytes.Add(bytes);
        return bytes;
    }

    private static bool IsRaw(byte[] bytes)
    {
        lock (RawBytes) return RawBytes.Contains(bytes);
    }

    public SignalRecordingLink Link { get; }
    public List<byte[]> Received { get; } = new();

    /// <summary>A reply packet with 2 status bytes.</summary>
    public static byte[] Reply(Opcode op, uint value = 0, byte status = 0, byte error = 0, byte[]? body = null)
    {
        body ??= [];
        var p = new byte[8 + body.Length + 2];
        p[0] = 1;
        p[1] = (byte)op;
        BitConverter.TryWriteBytes(p.AsSpan(2), (ushort)(body.Length + 2));
        BitConverter.TryWriteBytes(p.AsSpan(4), value);
        body.CopyTo(p, 8);
        p[^2] = status;
        p[^1] = error;
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        await _toDevice.Writer.CompleteAsync();
        await _run;
        await _toHost.Writer.CompleteAsync();
    }
}
