using System.Text;

namespace Espwire.Emulator.Tests.Support;

/// <summary>The host's side of a serial link in tests: send text, read until an exact marker, keep all bytes.</summary>
/// <remarks>Raw bytes, for the emulator's byte-exact tests (<see cref="ModuleHarness"/>); the other test projects talk
/// to the emulated module through the real driver (Espwire.Testing's EmulatedModule) or fake the module's end of the
/// link instead (Espwire.Testing's ScriptedLink).</remarks>
internal sealed class HostEnd : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = Espwire.Testing.TestTimeouts.Seconds(30);
    private readonly Stream _stream;
    private readonly List<byte> _pending = [];
    private readonly byte[] _buffer = new byte[4096];

    public HostEnd(Stream stream) => _stream = stream;

    public Stream Stream => _stream;

    public async Task SendAsync(string text) => await SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads until the received bytes end with (or contain) <paramref name="marker"/>; returns everything up to and including it.</summary>
    public async Task<string> ReadUntilAsync(string marker, TimeSpan? timeout = null)
    {
        var bytes = await ReadUntilAsync(Encoding.Latin1.GetBytes(marker), timeout);
        return Encoding.Latin1.GetString(bytes);
    }

    public async Task<byte[]> ReadUntilAsync(byte[] marker, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        while (true)
        {
            var at = IndexOf(_pending, marker);
            if (at >= 0)
            {
                var result = _pending.GetRange(0, at + marker.Length).ToArray();
                _pending.RemoveRange(0, at + marker.Length);
                return result;
            }
            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No '{Escape(Encoding.Latin1.GetString(marker))}' within {timeout ?? Timeout}; got '{Escape(Encoding.Latin1.GetString(_pending.ToArray()))}'.");
            }
            if (n == 0) throw new EndOfStreamException($"Stream ended before '{Escape(Encoding.Latin1.GetString(marker))}'; got '{Escape(Encoding.Latin1.GetString(_pending.ToArray()))}'.");
            _pending.AddRange(_buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (_pending.Count < count)
        {
            var n = await _stream.ReadAsync(_buffer, cts.Token);
            if (n == 0) throw new EndOfStreamException();
            _pending.AddRange(_buffer.AsSpan(0, n).ToArray());
        }
        var result = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return result;
    }

    /// <summary>Sends a command and returns the response through <paramref name="final"/>.</summary>
    public async Task<string> CommandAsync(string command, string final = "OK\r\n")
    {
        await SendAsync(command + "\r\n");
        return await ReadUntilAsync(final);
    }

    public static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
            if (match) return i;
        }
        return -1;
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
