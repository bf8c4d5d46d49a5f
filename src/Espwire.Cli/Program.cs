using System.CommandLine;
using Espwire.Cli;
using Espwire.Cli.Commands;
using Espwire.Cli.Errors;

// Ctrl+C and SIGTERM stop the command cleanly (serve drains to disk). Registered before anything runs:
// System.CommandLine registers its own handlers only once the action has started, which for serve is after it
// printed "Listening", so a SIGTERM in between would have killed the process (exit 143) instead of stopping it.
// A second signal is not caught: it ends the process at once, as users expect of a second Ctrl+C.
// Never disposed: a signal's handler can run on its own thread after Main has returned, and must find it usable.
var stop = new CancellationTokenSource();
void OnStopSignal(System.Runtime.InteropServices.PosixSignalContext context)
{
    if (stop.IsCancellationRequested) return;
    context.Cancel = true;
    stop.Cancel();
}
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnStopSignal);
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnStopSignal);
return await EspwireCli.RunAsync(args, cancellationToken: stop.Token).ConfigureAwait(false);

namespace Espwire.Cli
{
    internal static class EspwireCli
    {
        public static RootCommand Build()
        {
            var root = new RootCommand(
                "espwire: the host side of ESP8266 (ESP-12F) Wi-Fi sensor links, and a virtual ESP-12F to run it without hardware.\n\n" +
                "Start here:  espwire demo          (receiver + 3 emulated modules on loopback)\n" +
                "Receive:     espwire serve          (TCP/UDP 0.0.0.0:12345, readings into espwire.db)\n" +
                "AT firmware: espwire at --port /dev/ttyUSB0 AT+GMR\n" +
                "Flash:       espwire flash info --port /dev/ttyUSB0");
            // The built-in --version reports the entry assembly; report espwire's own version wherever it is hosted.
            var version = root.Options.OfType<VersionOption>().Single();
            version.Action = new VersionAction();
            root.Subcommands.Add(ServeCommand.Create());
            root.Subcommands.Add(ReadingsCommand.Create());
            root.Subcommands.Add(DemoCommand.Create());
            root.Subcommands.Add(EmulateCommand.Create());
            root.Subcommands.Add(AtCommand.Create());
            root.Subcommands.Add(WifiCommand.Create());
            root.Subcommands.Add(NetCommand.Create());
            root.Subcommands.Add(PortsCommand.Create());
            root.Subcommands.Add(FlashCommand.Create());
            root.Subcommands.Add(ImageCommand.Create());
            root.Subcommands.Add(OtaCommand.Create()); root.Subcommands.Add(DevicesCommand.Create());
            return root;
        }

        private sealed class VersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
        {
            public override int Invoke(ParseResult parseResult)
            {
                var info = typeof(EspwireCli).Assembly
                    .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                    .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0";
                var plus = info.IndexOf('+', StringComparison.Ordinal);
                parseResult.InvocationConfiguration.Output.WriteLine(plus < 0 ? info : info[..plus]);
                return ExitCodes.Ok;
            }
        }

        public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null,
            CancellationToken cancellationToken = default)
        {
            var root = Build();
            var parse = root.Parse(args);
            var errors = error ?? Console.Error;
            // Ctrl+C/SIGTERM cancel the action; give it time to finish cleanly (serve drains to disk) before a forced exit.
            // Exceptions reach ErrorReport: the parser's default handler would turn a UsageException into exit 1.
            var config = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30), EnableDefaultExceptionHandler = false };
            if (output is not null) config.Output = output;
            if (error is not null) config.Error = error;
            if (parse.Errors.Count > 0)
            {
                // The one line that matters and where the help is, not the whole help page.
                ErrorReport.Write(errors, ErrorReport.FromParse(parse), ErrorReport.VerbPath(parse));
                return ExitCodes.UsageError;
            }
            try
            {
                return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
            catch (Exception e) when (ErrorReport.Describe(e, ErrorReport.VerbPath(parse)) is { } failure)
            {
                ErrorReport.Write(errors, failure, ErrorReport.VerbPath(parse));
                return failure.ExitCode;
            }
        }
    }
}
