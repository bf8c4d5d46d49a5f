using Espwire.At;

namespace Espwire.Cli.At;

/// <summary>Opens the typed AT API for a verb. Failures go to <see cref="Errors.ErrorReport"/> like every verb's.</summary>
internal static class DeviceSession
{
    public static Task<AtModule> OpenModuleAsync(string port, int baud, CancellationToken cancellationToken)
        => AtModule.OpenAsync(port, baud, null, cancellationToken);
}
