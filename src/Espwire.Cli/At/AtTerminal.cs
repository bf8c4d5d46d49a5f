using Espwire.At.Commands;
using System.Text;
using Espwire.At;
using Espwire.At.Reader;

namespace Espwire.Cli.At;

/// <summary>
/// The interactive terminal: like the Arduino serial monitor in "Both NL &amp; CR" mode. Each line typed goes out
/// with CR LF; everything the module says is printed as it arrives, with decoded lines under codes. After a
/// <c>&gt;</c> prompt the next line is sent as raw data (no CR LF), so AT+CIPSEND=0,5 then hello works.
/// </summary>
internal sealed class AtTerminal(AtChannel channel, TextReader input, TextWriter output, bool console, TerminalHistory? saved = null)
{
    private readonly List<string> _history = saved?.Load().ToList() ?? [];
    private volatile bool _promptOpen;
    private TaskCompletionSource _replyEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> History => _history;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunLinesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException || (channel.Closed.IsCompleted && e is not OperationCanceledException))
        {
            return DeviceGone();
        }
        finally
        {
            saved?.Save(_history);
        }
    }

    private int DeviceGone()
    {
        output.WriteLine($"espwire at: the device went away ({channel.Link.Name} closed).");
        output.WriteLine("  next: check the cable and that the device (or the emulator) is still running, then run espwire at again.");
        return ExitCodes.DeviceError;
    }

    // Bytes an earlier session left: a half-typed line in the module's buffer is ended with CR LF, and what the
    // module still had to say is read and dropped, so the first command is not answered as ERROR.
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        await channel.WriteRawAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await channel.WaitForQuietAsync(Espwire.At.Lifetime.ResetRecovery.Quiet, Espwire.At.Lifetime.ResetRecovery.QuietLimit, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunLinesAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        // Piped input: print each command as "> AT" (the echo may be off); at a keyboard the echo shows it.
        var printer = new ReplyPrinter(output, showEcho: console, explainFailures: true);
        using var subscription = channel.Subscribe(e =>
        {
            if (e is PromptEvent) _promptOpen = true;
            printer.Print(e);
            if (e is FinalLine or PromptEvent or BusyLine or UnsolicitedLine { Kind: Unsolicited.Ready }) _replyEnded.TrySetResult();
        });
        output.WriteLine($"espwire at: {channel.Link.Name} at {channel.Link.BaudRate} baud, \"Both NL & CR\". Type AT commands; 'exit' or Ctrl+D quits, Up/Down recall history.");
        while (!cancellationToken.IsCancellationRequested)
        {
            var reading = console ? Task.Run(() => ReadLineWithHistory(cancellationToken), cancellationToken) : input.ReadLineAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(reading, channel.Closed).ConfigureAwait(false) != reading) return DeviceGone();
            var line = await reading.ConfigureAwait(false);
            if (line is null || line.Trim() is "exit" or "quit") break;
            if (channel.Closed.IsCompleted) return DeviceGone();
            if (line.Length == 0 && !_promptOpen) continue;
            _replyEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_promptOpen)
            {
                _promptOpen = false;
                await channel.WriteRawAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (_history.Count == 0 || _history[^1] != line) _history.Add(line);
                if (_history.Count > 500) _history.RemoveAt(0);
                if (!console) output.WriteLine($"> {line}");
                await channel.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
            }
            // Piped input (echo AT | espwire at ...) waits for each reply, so the output is complete and in order.
            if (!console)
                await Task.WhenAny(_replyEnded.Task, channel.Closed, Task.Delay(CommandCatalogue.Typed(line).Timeout, cancellationToken)).ConfigureAwait(false);
            if (channel.Closed.IsCompleted) return DeviceGone();
        }
        return ExitCodes.Ok;
    }

    // A small line editor: Console.ReadLine has no history on Linux.
    private string? ReadLineWithHistory(CancellationToken cancellationToken)
    {
        var buffer = new StringBuilder();
        var index = _history.Count;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!Console.KeyAvailable)
            {
                cancellationToken.WaitHandle.WaitOne(20);
                continue;
            }
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    return buffer.ToString();
                case ConsoleKey.Backspace when buffer.Length > 0:
                    buffer.Length--;
                    Console.Write("\b \b");
                    break;
                case ConsoleKey.UpArrow when index > 0:
                    Replace(buffer, _history[--index]);
                    break;
                case ConsoleKey.DownArrow when index < _history.Count:
                    index++;
                    Replace(buffer, index < _history.Count ? _history[index] : "");
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && buffer.Length == 0:
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        buffer.Append(key.KeyChar);
                        Console.Write(key.KeyChar);
                    }
                    break;
            }
        }
        return null;
    }

    private static void Replace(StringBuilder buffer, string text)
    {
        Console.Write(new string('\b', buffer.Length) + new string(' ', buffer.Length) + new string('\b', buffer.Length));
        buffer.Clear().Append(text);
        Console.Write(text);
    }
}
