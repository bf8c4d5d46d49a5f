using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire wifi</c>.</summary>
internal static class WifiCommand
{
    public static Command Create()
    {
        var command = new Command("wifi", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire wifi: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
