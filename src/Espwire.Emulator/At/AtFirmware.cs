namespace Espwire.Emulator.At;

/// <summary>Espressif's AT firmware (1.7 or 2.2 as <see cref="ModuleOptions.Dialect"/> says) for one boot.</summary>
public sealed class AtFirmware : IFirmware
{
    private readonly VirtualModule _module;

    public AtFirmware(VirtualModule module) => _module = module;

    public async Task RunAsync(IModuleUart uart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uart);
        await using var session = new AtSession(_module, uart);
        await session.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
