using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire ports</c>.</summary>
internal static class PortsCommand
{
    public static Command Create()
    {
        var command = new Command("ports", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire ports: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
