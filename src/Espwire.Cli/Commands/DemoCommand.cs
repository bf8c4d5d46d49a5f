using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire demo</c>.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire demo: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
