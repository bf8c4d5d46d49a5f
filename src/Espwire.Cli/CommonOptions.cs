using System.CommandLine;

namespace Espwire.Cli;

/// <summary>Options that several verbs share, defined once so they read the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>
    /// --port, "auto" when not given: the one USB serial adapter with a known ESP bridge id (CP210x, CH340, FTDI);
    /// the port opening helper (DeviceLink) resolves it, so every serial verb gets the default.
    /// </summary>
    public static Option<string> Port() => new("--port", "-p")
    {
        Description = "The device: auto (the one ESP USB serial adapter plugged in: CP210x, CH340, FTDI), a serial port (/dev/ttyUSB0, /dev/pts/3, COM3), socket://HOST:PORT or rfc2217://HOST:PORT.",
        DefaultValueFactory = _ => Espwire.Ports.AutoPort.Name,
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
