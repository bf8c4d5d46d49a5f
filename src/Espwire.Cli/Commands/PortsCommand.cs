using System.CommandLine;
using Espwire.Cli.At;
using Espwire.Ports;
using Spectre.Console;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire ports</c>: serial ports on this machine, with the USB adapter behind each.</summary>
internal static class PortsCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("ports",
            "List serial ports with their USB adapter (CP2102 10c4:ea60, CH340 1a86:7523, FTDI 0403:6001), to find the --port to use.\n\n" +
            "Example:\n  espwire ports")
        {
            json,
        };
        command.SetAction((ParseResult pr) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var ports = SerialPortList.List();
            Render(ports, output, pr.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Render(IReadOnlyList<SerialPortInfo> ports, TextWriter output, bool json)
    {
        if (json)
        {
            CliJson.Write(output, ports.Select(p => new { p.Path, p.Description, p.UsbId, p.Chip, p.Driver, p.Manufacturer, p.Product, p.SerialNumber }));
            return;
        }
        if (ports.Count == 0)
        {
            output.WriteLine("No serial ports found. Plug in the USB-serial adapter (CP2102, CH340) and check 'dmesg | tail' for the new /dev/ttyUSB*.");
            output.WriteLine("No hardware? Run the emulator (espwire emulate) and use --port socket://127.0.0.1:PORT.");
            return;
        }
        var table = new Table().AddColumns("Port", "Adapter", "USB ID", "Manufacturer", "Serial");
        foreach (var p in ports)
            table.AddRow(Markup.Escape(p.Path), Markup.Escape(p.Description), p.UsbId ?? "-", Markup.Escape(p.Manufacturer ?? "-"), Markup.Escape(p.SerialNumber ?? "-"));
        CliConsole.For(output).Write(table);
        if (!OperatingSystem.IsWindows())
            output.WriteLine("Permission denied when opening one? sudo usermod -aG dialout $USER, then log out and in.");
    }
}
