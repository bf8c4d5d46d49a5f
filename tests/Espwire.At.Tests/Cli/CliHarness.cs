using System.Net;
using Espwire.Cli;
using Espwire.Emulator;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.World;

namespace Espwire.At.Tests.Cli;

/// <summary>Runs the espwire command in-process against an emulated module on socket://127.0.0.1:ephemeral.</summary>
internal static class CliHarness
{
    public static Task<EmulatorHost> StartEmulatorAsync(FirmwareDialect dialect = FirmwareDialect.NonOs, WifiWorld? world = null, bool pty = false)
        => EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions { Dialect = dialect, World = world, TimeScale = 0 },
            Listen = pty ? null : new IPEndPoint(IPAddress.Loopback, 0),
            Pty = pty,
        });

    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await EspwireCli.RunAsync(args, output, error).WaitAsync(TimeSpan.FromSeconds(60));
        return (exit, output.ToString(), error.ToString());
    }
}
