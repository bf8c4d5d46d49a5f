using System.CommandLine;

namespace Espwire.Cli;

/// <summary>Options that several verbs share, defined once so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Port(bool required = true) => new("--port", "-p")
    {
        Description = "The device: a serial port (/dev/ttyUSB0, /dev/pts/3, COM3), socket://HOST:PORT or rfc2217://HOST:PORT.",
        Required = required,
    };

    public static Option<int> Baud() => new("--baud", "-b")
    {
        Description = "Serial speed in baud. The ESP-12F's AT firmware and the seed's sketch use 115200.",
        DefaultValueFactory = _ => 115200,
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print machine-readable JSON instead of tables and text.",
    };
}
