using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire serve</c>.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire serve: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
