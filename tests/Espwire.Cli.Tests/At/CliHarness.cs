using Espwire.At;
using Espwire.Cli;
using Espwire.Emulator;
using Espwire.Emulator.Hosting;
using Espwire.Testing;
using Espwire.Emulator.World;

namespace Espwire.Cli.Tests.At;

/// <summary>Runs the espwire command in-process against an emulated module on socket://127.0.0.1:ephemeral.</summary>
internal static class CliHarness
{
    public static Task<EmulatorHost> StartEmulatorAsync(FirmwareDialect dialect = FirmwareDialect.NonOs, WifiWorld? world = null, bool pty = false)
        => EmulatedModule.StartHostAsync(dialect, pty ? Transport.Pty : Transport.Socket, world);

    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await EspwireCli.RunAsync(args, output, error).WaitAsync(TimeSpan.FromSeconds(60));
        return (exit, output.ToString(), error.ToString());
    }
}
