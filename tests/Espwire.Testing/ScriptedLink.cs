using System.IO.Pipelines;
using System.Text;
using Espwire.Ports;

namespace Espwire.Testing;

/// <summary>
/// An in-memory device link whose far end answers each command line from a script, for the channel behaviours
/// a real module (or the emulator) rarely shows on demand: busy, a reset mid-command, silence.
/// It records the exact bytes the host sent.
/// </summary>
public sealed class ScriptedLink : IDeviceLink
{
    private readonly Pipe _toDevice = new();
    private readonly Pipe _toHost = new();
    private readonly Task _device;
    private readonly MemoryStream _sent = new();
    private readonly object _sync = new();
    private int _rawPending;
    private Func<byte[], string>? _onRaw;

    public ScriptedLink(Func<string, string?> script)
    {
        Script = script;
        Stream = new DuplexStream(_toHost.Reader.AsStream(), _toDevice.Writer.AsStream());
        _device = Task.Run(RunDeviceAsync);
    }

    /// <summary>Answers a command line (without CR LF) with the bytes to send back; null sends nothing.</summary>
    public Func<string, string?> Script { get; set; }

    public List<string> Lines { get; } = [];
    public List<byte[]> Payloads { get; } = [];

    public byte[] SentBytes { get { lock (_sync) return _sent.ToArray(); } }

    public string Name => "scripted";
    public Stream Stream { get; }
    public bool SupportsSignals => false;
    public bool SupportsBaudRate => false;
    public int BaudRate => 115200;

    /// <summary>After the current reply, take the next <paramref name="count"/> bytes raw and answer them with <paramref name="reply"/>.</summary>
    public void ExpectRaw(int count, Func<byte[], string> reply)
    {
        _rawPending = count;
        _onRaw = reply;
    }

    public async Task SendAsync(string text) => await _toHost.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));

    private async Task RunDeviceAsync()
    {
        var line = new List<byte>();
        var raw = new List<byte>();
        while (true)
        {
            var result = await _toDevice.Reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                lock (_sync) _sent.Write(segment.Span);
                foreach (var b in segment.Span.ToArray())
                {
                    if (_rawPending > 0)
                    {
                        raw.Add(b);
                        if (--_rawPending == 0)
                        {
                            var payload = raw.ToArray();
                            raw.Clear();
                            Payloads.Add(payload);
                            await SendAsync(_onRaw!(payload));
                        }
                        continue;
                    }
                    if (b == '\n' && line.Count > 0 && line[^1] == '\r')
                    {
                        var text = Encoding.UTF8.GetString(line.ToArray(), 0, line.Count - 1);
                        line.Clear();
                        Lines.Add(text);
                        if (Script(text) is { } reply) await SendAsync(reply);
                        continue;
                    }
                    line.Add(b);
                }
            }
            _toDevice.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted) return;
        }
    }

    public Task SetBaudRateAsync(int baudRate, CancellationToken cancellationToken = default) => Task.CompletedTask;
    public Task SetSignalsAsync(bool? dtr, bool? rts, CancellationToken cancellationToken = default) => Task.CompletedTask;
    public Task DiscardInputAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _toHost.Writer.CompleteAsync();
        await _toDevice.Writer.CompleteAsync();
        await _device.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
