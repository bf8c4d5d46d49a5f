namespace Espwire.Emulator;

/// <summary>
/// Code running on the virtual module between two resets. <see cref="RunAsync"/> returns (or is cancelled)
/// when the module resets or the host link closes; anything that must outlive a reset lives in the module's
/// flash or saved settings, not in the firmware object.
/// </summary>
public interface IFirmware
{
    Task RunAsync(IModuleUart uart, CancellationToken cancellationToken);
}
