using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire flash</c>.</summary>
internal static class FlashCommand
{
    public static Command Create()
    {
        var command = new Command("flash", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire flash: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
