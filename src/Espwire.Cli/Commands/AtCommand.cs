using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire at</c>.</summary>
internal static class AtCommand
{
    public static Command Create()
    {
        var command = new Command("at", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire at: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
