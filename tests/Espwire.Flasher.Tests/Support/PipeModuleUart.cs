using System.IO.Pipelines;
using Espwire.Emulator;

namespace Espwire.Flasher.Tests.Support;

/// <summary>The module's UART over an in-memory pipe pair (no socket, no pacing).</summary>
internal sealed class PipeModuleUart(PipeReader input, PipeWriter output) : IModuleUart
{
    public PipeReader Input { get; } = input;

    public int BaudRate { get; set; } = 115200;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }
}
