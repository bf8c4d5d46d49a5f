using Espwire.Ports;

namespace Espwire.Flasher.Tests.Support;

/// <summary>A host-side link over any stream; records DTR/RTS changes instead of driving lines.</summary>
/// <remarks>Not Espwire.Testing's ScriptedLink, which plays the module's end and answers AT lines from a script: this
/// one is only the host's end, over whatever stream the test gives (the emulated ROM bootloader, a scripted ROM device),
/// and what it adds is the record of the reset signals the flasher sent.</remarks>
internal sealed class SignalRecordingLink(Stream stream, bool supportsSignals = false) : IDeviceLink
{
    public string Name => "test://pipe";
    public Stream Stream { get; } = stream;
    public bool SupportsSignals { get; } = supportsSignals;
    public bool SupportsBaudRate => false;
    public int BaudRate { get; private set; } = 115200;
    public List<(bool? Dtr, bool? Rts)> Signals { get; } = new();

    public Task SetBaudRateAsync(int baudRate, CancellationToken cancellationToken = default)
    {
        BaudRate = baudRate;
        return Task.CompletedTask;
    }

    public Task SetSignalsAsync(bool? dtr, bool? rts, CancellationToken cancellationToken = default)
    {
        Signals.Add((dtr, rts));
        return Task.CompletedTask;
    }

    public Task DiscardInputAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
