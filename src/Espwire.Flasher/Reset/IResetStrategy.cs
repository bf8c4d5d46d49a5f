using Espwire.Ports;

namespace Espwire.Flasher.Reset;

/// <summary>A way to reset the module into its ROM download mode through DTR/RTS (or not at all).</summary>
public interface IResetStrategy
{
    string Name { get; }

    Task ResetAsync(IDeviceLink link, CancellationToken cancellationToken);
}
