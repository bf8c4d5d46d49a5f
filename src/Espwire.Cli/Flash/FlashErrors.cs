using Espwire.Flasher.Errors;
using Espwire.Ports;

namespace Espwire.Cli.Flash;

/// <summary>Turns flasher and port failures into esptool's "A fatal error occurred" plus what to do next, exit 1.</summary>
internal static class FlashErrors
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (FlasherException e)
        {
            await error.WriteLineAsync($"A fatal error occurred: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync($"Hint: {e.Hint}").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (PortException e)
        {
            await error.WriteLineAsync($"A fatal error occurred: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync($"Hint: {e.Hint}").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"espwire: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"A fatal error occurred: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync("Hint: check the file paths and that the device is still connected.").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
    }
}
