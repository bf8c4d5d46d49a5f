using System.CommandLine;
using Espwire.At;
using Espwire.At.Commands;
using Espwire.At.Errors;
using Espwire.At.Lifetime;
using Espwire.At.Reader;
using Espwire.Cli.At;
using Espwire.Ports;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire at</c>: run AT commands and explain the replies, or an interactive terminal.</summary>
internal static class AtCommand
{
    public static Command Create()
    {
        var port = CommonOptions.Port();
        var baud = CommonOptions.Baud();
        var json = CommonOptions.Json();
        var commands = new Argument<string[]>("COMMAND")
        {
            Description = "AT commands to run in order, e.g. AT AT+GMR \"AT+CWMODE?\". None: an interactive terminal.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("at",
            "Send AT commands to an ESP8266 and print the replies, with a plain-language line under codes that need one " +
            "(+CWJAP:1, busy p..., ERR CODE). Without commands: an interactive terminal like the Arduino serial monitor " +
            "in \"Both NL & CR\" mode, with history.\n\n" +
            "At a keyboard the terminal prompts AT> and, after the module's >, data> (that line goes out raw, no CR LF).\n" +
            "Keys: Left/Right, Home/End (Ctrl+A/Ctrl+E), Backspace, Delete, Ctrl+U (delete to the start), Ctrl+W (the word\n" +
            "before the cursor), Ctrl+K (to the end), Up/Down (history, kept in ~/.config/espwire/at_history), Ctrl+L (clear),\n" +
            "Ctrl+C (drop the line; on an empty line quit), Ctrl+D or exit (quit). A line typed or pasted while the module\n" +
            "still answers waits for that reply before it goes out, and piped input is sent a line per reply likewise.\n\n" +
            "Examples:\n" +
            "  espwire at --port /dev/ttyUSB0 AT AT+GMR \"AT+CWMODE?\"\n" +
            "  espwire at --port socket://127.0.0.1:4000 AT+CWLAP --json\n" +
            "  espwire at --port /dev/ttyUSB0            (terminal; type AT+CWJAP=\"SSID\",\"PASSWORD\")")
        {
            port, baud, json, commands,
        };
        command.Validators.Add(result =>
        {
            var list = result.GetValue(commands) ?? [];
            if (list.Length == 0 && result.GetValue(json))
                result.AddError("--json needs commands to run (the interactive terminal has no JSON form).");
            // An AT command never starts with '-': such a word is a mistyped option, not something to send.
            else if (list.FirstOrDefault(c => c.StartsWith('-')) is { } unknown)
                result.AddError($"'{unknown}' is not an option of espwire at, and AT commands start with AT.");
        });
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var list = pr.GetValue(commands) ?? [];
            var asJson = pr.GetValue(json);
            await using var link = await DeviceLink.OpenAsync(pr.GetValue(port)!, new LinkOptions { BaudRate = pr.GetValue(baud) }, ct).ConfigureAwait(false);
            await using var channel = new AtChannel(link);
            if (list.Length == 0)
            {
                var history = TerminalHistory.ForUser(Environment.GetEnvironmentVariable);
                // A keyboard and a screen: the line editor. Anything else (a pipe, a file, output to a file): lines.
                using var keyboard = ReferenceEquals(output, Console.Out) && !Console.IsInputRedirected && !Console.IsOutputRedirected
                    ? Keyboard.ForConsole()
                    : null;
                var terminal = keyboard is null
                    ? new AtTerminal(channel, Console.In, output, history)
                    : new AtTerminal(channel, keyboard, output, history);
                return await terminal.RunAsync(ct).ConfigureAwait(false);
            }
            return asJson
                ? await RunJsonAsync(channel, list, output, ct).ConfigureAwait(false)
                : await RunTextAsync(channel, list, output, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunTextAsync(AtChannel channel, string[] commands, TextWriter output, CancellationToken ct)
    {
        var printer = new ReplyPrinter(output, showEcho: false);
        var failed = false;
        foreach (var text in commands)
        {
            output.WriteLine($"> {text}");
            AtResponse response;
            // Printed while it runs; the questions the explainer asks the module afterwards are not the user's.
            using (channel.Subscribe(printer.Print))
            {
                response = await SendOnceMoreAfterResetAsync(channel, text, () => output.WriteLine($"{ReplyPrinter.DecodedMarker}sending {text} again now that the module is up."), ct).ConfigureAwait(false);
                await AwaitTrailingNoticeAsync(channel, response, ct).ConfigureAwait(false);
            }
            if (!response.IsOk)
            {
                failed = true;
                var e = await FailureExplainer.ExplainAsync(channel, response, ct).ConfigureAwait(false);
                output.WriteLine($"{ReplyPrinter.DecodedMarker}{e.Meaning} {e.NextStep}");
            }
        }
        return failed ? ExitCodes.DeviceError : ExitCodes.Ok;
    }

    // Opening a port often resets the board: a command lost in the boot goes once more (ResetRecovery).
    private static Task<AtResponse> SendOnceMoreAfterResetAsync(AtChannel channel, string text, Action resending, CancellationToken ct)
        => ResetRecovery.RunAgainAfterResetAsync(channel, CommandCatalogue.Typed(text), resending, ct);

    // A notice that follows the final (AT+CWQAP's WIFI DISCONNECT) belongs under this command, not the next one:
    // wait for it, or for the module to go quiet when it does not come (not joined).
    private static async Task AwaitTrailingNoticeAsync(AtChannel channel, AtResponse response, CancellationToken ct)
    {
        if (response.Exchange.Spec.TrailingNotice is not { } notice || !response.IsOk || response.Saw(notice)) return;
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = channel.Subscribe(e => { if (e is UnsolicitedLine u && u.Kind == notice) heard.TrySetResult(); });
        await Task.WhenAny(heard.Task, channel.WaitForQuietAsync(ResetRecovery.Quiet, ResetRecovery.QuietLimit, ct)).ConfigureAwait(false);
    }

    private static async Task<int> RunJsonAsync(AtChannel channel, string[] commands, TextWriter output, CancellationToken ct)
    {
        var results = new List<object>();
        var failed = false;
        foreach (var text in commands)
        {
            var response = await SendOnceMoreAfterResetAsync(channel, text, () => { }, ct).ConfigureAwait(false);
            var associated = response.Saw(Unsolicited.WifiConnected);
            Explanation? explanation = response.IsOk ? null : await FailureExplainer.ExplainAsync(channel, response, ct).ConfigureAwait(false);
            failed |= !response.IsOk;
            results.Add(new
            {
                command = text,
                result = ReplyPrinter.FinalText(response.Result),
                ok = response.IsOk,
                lines = response.Lines.Select(l => new { text = l, decoded = ErrorCatalogue.Decode(l, associated) }).ToArray(),
                unsolicited = response.Unsolicited.Select(u => u.Text).ToArray(),
                data = response.Data is null ? null : ReplyPrinter.Printable(response.Data),
                explanation,
                elapsedMs = (int)response.Elapsed.TotalMilliseconds,
            });
        }
        CliJson.Write(output, results);
        return failed ? ExitCodes.DeviceError : ExitCodes.Ok;
    }
}
