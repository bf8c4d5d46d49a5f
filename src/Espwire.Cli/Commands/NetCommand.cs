using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire net</c>.</summary>
internal static class NetCommand
{
    public static Command Create()
    {
        var command = new Command("net", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire net: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
