using System.Text;

namespace Espwire.Emulator.At;

/// <summary>The firmware's UART TX: responses and unsolicited lines, one message at a time so none interleave.</summary>
public sealed class AtOutput
{
    private readonly IModuleUart _uart;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public AtOutput(IModuleUart uart) => _uart = uart;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _uart.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask WriteAsync(string text, CancellationToken ct) => WriteAsync(Encoding.UTF8.GetBytes(text), ct);

    /// <summary>Writes <paramref name="line"/> and CR LF.</summary>
    public ValueTask LineAsync(string line, CancellationToken ct) => WriteAsync(line + "\r\n", ct);

    public ValueTask FinalAsync(AtResult result, CancellationToken ct) => result switch
    {
        AtResult.Ok => WriteAsync("\r\nOK\r\n", ct),
        AtResult.Error => WriteAsync("\r\nERROR\r\n", ct),
        AtResult.Fail => WriteAsync("\r\nFAIL\r\n", ct),
        AtResult.OkNoBlankLine => WriteAsync("OK\r\n", ct),
        _ => ValueTask.CompletedTask,
    };
}
