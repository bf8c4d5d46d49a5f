using System.CommandLine;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire image</c>.</summary>
internal static class ImageCommand
{
    public static Command Create()
    {
        var command = new Command("image", "Not implemented yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("espwire image: not implemented yet.");
            return ExitCodes.DeviceError;
        });
        return command;
    }
}
