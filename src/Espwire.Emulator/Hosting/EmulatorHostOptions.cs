using System.Net;

namespace Espwire.Emulator.Hosting;

/// <summary>How <see cref="EmulatorHost"/> serves its modules.</summary>
public sealed record EmulatorHostOptions
{
    /// <summary>Options every module starts from; each gets its own <see cref="ModuleOptions.Index"/>.</summary>
    public ModuleOptions Module { get; init; } = new();

    /// <summary>How many modules (ports PORT..PORT+N-1, or N pseudo-terminals).</summary>
    public int Count { get; init; } = 1;

    /// <summary>Serve module i on TCP <c>Listen.Port + i</c> (socket://); port 0 gives each an ephemeral port.
    /// Null serves no TCP.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>Serve each module on a pseudo-terminal too (Linux, macOS).</summary>
    public bool Pty { get; init; }

    /// <summary>Adjusts module i's options after the template is applied (e.g. the demo's counter on module 0 and
    /// radar readings on the others). Receives the index and the options built so far.</summary>
    public Func<int, ModuleOptions, ModuleOptions>? PerModule { get; init; }

    /// <summary>Connections per listener queued before the OS refuses more.</summary>
    public int Backlog { get; init; } = 4;

    /// <summary>
    /// Serves one accepted TCP connection. The default attaches it as a raw byte stream (socket://); the RFC 2217
    /// server replaces it to read baud and DTR/RTS from the telnet stream and call
    /// <see cref="VirtualModule.SetModemLines"/>.
    /// </summary>
    public Func<VirtualModule, Stream, CancellationToken, Task>? ConnectionHandler { get; init; }
}
