using Espwire.At;
using Espwire.At.Commands;
using Espwire.Ports;

namespace Espwire.Cli.At;

/// <summary>Runs a verb's work and turns device errors into a message, the next step, and exit code 1.</summary>
internal static class DeviceSession
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // The typed API rejects impossible values (a 33-character SSID, port 0) before anything reaches the module.
            await error.WriteLineAsync($"espwire: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"espwire: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (PortException e)
        {
            await error.WriteLineAsync($"espwire: {e.Message}\n  next: {e.Hint}").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (AtException e)
        {
            await error.WriteLineAsync($"espwire: {e.Message}\n  next: {e.Hint}").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"espwire: {e.Message}").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("espwire: cancelled.").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
    }

    public static Task<AtModule> OpenModuleAsync(string port, int baud, CancellationToken cancellationToken)
        => AtModule.OpenAsync(port, baud, null, cancellationToken);
}
