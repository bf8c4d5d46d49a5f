using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire emulate</c>.</summary>
internal static class EmulateCommand
{
    public static Command Create()
    {
        var command = new Command("emulate", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire emulate: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
