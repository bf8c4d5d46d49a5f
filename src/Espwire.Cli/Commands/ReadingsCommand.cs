using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire readings</c>.</summary>
internal static class ReadingsCommand
{
    public static Command Create()
    {
        var command = new Command("readings", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire readings: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
