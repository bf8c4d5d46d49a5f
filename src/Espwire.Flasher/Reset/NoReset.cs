using Espwire.Ports;

namespace Espwire.Flasher.Reset;

/// <summary>Touches no lines: the module is already in download mode (GPIO0 wired low, or socket:// without signals).</summary>
public sealed class NoReset : IResetStrategy
{
    public string Name => "no reset";

    public Task ResetAsync(IDeviceLink link, CancellationToken cancellationToken) => Task.CompletedTask;
}
