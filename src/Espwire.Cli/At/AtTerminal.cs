using Espwire.At.Commands;
using System.Text;
using Espwire.At;
using Espwire.At.Reader;

namespace Espwire.Cli.At;

/// <summary>
/// The interactive terminal: like the Arduino serial monitor in "Both NL &amp; CR" mode. Each line typed goes out
/// with CR LF; everything the module says is printed as it arrives, with decoded lines under codes. After a
/// <c>&gt;</c> prompt the next line is sent as raw data (no CR LF), so AT+CIPSEND=0,5 then hello works.
/// At a keyboard the line is edited with <see cref="LineEditor"/> at an <c>AT&gt; </c> prompt (<c>data&gt; </c> after
/// the module's <c>&gt;</c>) and shown once: the module's echo is not printed. With piped input each command is
/// printed as <c>&gt; AT</c> and its reply is waited for, so the output is complete and in order. At a keyboard the
/// next prompt comes at once, but a line typed (or pasted) while the module still answers waits for that reply
/// before it goes out, as it does with piped input: a real module answers <c>busy p...</c> to a line it gets mid-join.
/// </summary>
internal sealed class AtTerminal
{
    private readonly AtChannel _channel;
    private readonly TextReader? _input;
    private readonly TextWriter _output;
    private readonly Keyboard? _keyboard;
    private readonly TerminalScreen? _screen;
    private readonly TerminalHistory? _saved;
    private readonly List<string> _history;
    private volatile bool _promptOpen;
    private TaskCompletionSource _replyEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // At a keyboard: the last line handed to the module and the wait for its reply; the next line goes out after it.
    private Task _sending = Task.CompletedTask;

    /// <summary>Lines from <paramref name="input"/> (a pipe, a file, a terminal that cannot give key presses).</summary>
    public AtTerminal(AtChannel channel, TextReader input, TextWriter output, TerminalHistory? saved = null)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _saved = saved;
        _history = saved?.Load().ToList() ?? [];
    }

    /// <summary>Key presses from <paramref name="keyboard"/>, edited at a prompt drawn on <paramref name="screen"/>.</summary>
    public AtTerminal(AtChannel channel, Keyboard keyboard, TextWriter screen, TerminalHistory? saved = null)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        _keyboard = keyboard ?? throw new ArgumentNullException(nameof(keyboard));
        _output = screen ?? throw new ArgumentNullException(nameof(screen));
        _saved = saved;
        _history = saved?.Load().ToList() ?? [];
        _screen = new TerminalScreen(screen, _history, () => keyboard.Width);
    }

    public IReadOnlyList<string> History => _history;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunLinesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException || (_channel.Closed.IsCompleted && e is not OperationCanceledException))
        {
            return DeviceGone();
        }
        finally
        {
            _screen?.Close();
            _saved?.Save(_history);
        }
    }

    private int DeviceGone()
    {
        var message = $"espwire at: the device went away ({_channel.Link.Name} closed).{_output.NewLine}" +
            $"  next: check the cable and that the device (or the emulator) is still running, then run espwire at again.{_output.NewLine}";
        if (_screen is not null)
        {
            _screen.Close();
            _screen.Print(message);
        }
        else
        {
            _output.Write(message);
        }
        return ExitCodes.DeviceError;
    }

    // Bytes an earlier session left: a half-typed line in the module's buffer is ended with CR LF, and what the
    // module still had to say is read and dropped, so the first command is not answered as ERROR.
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        await _channel.WriteRawAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await _channel.WaitForQuietAsync(Espwire.At.Lifetime.ResetRecovery.Quiet, Espwire.At.Lifetime.ResetRecovery.QuietLimit, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunLinesAsync(CancellationToken cancellationToken)
    {
        _output.WriteLine($"espwire at: {_channel.Link.Name} at {_channel.Link.BaudRate} baud, \"Both NL & CR\". Type AT commands; 'exit' or Ctrl+D quits, Up/Down recall history.");
        _output.Flush();
        // After the first line printed: the console is set up by then, and keys typed during the drain wait unechoed.
        _keyboard?.Start();
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        // The echo is never printed: at a keyboard the editor shows the line, piped input prints it as "> AT" (the
        // echo may be off). At a keyboard each event's lines go to the screen together, above the line being typed.
        var pending = new StringWriter { NewLine = _output.NewLine };
        var printer = new ReplyPrinter(_screen is null ? _output : pending, showEcho: false, explainFailures: true);
        using var subscription = _channel.Subscribe(e =>
        {
            if (e is PromptEvent) _promptOpen = true;
            printer.Print(e);
            if (_screen is not null)
            {
                var text = pending.ToString();
                pending.GetStringBuilder().Clear();
                _screen.Print(text, e is PromptEvent ? true : e is UnsolicitedLine { Kind: Unsolicited.Ready } ? false : null);
            }
            if (e is FinalLine or PromptEvent or BusyLine or UnsolicitedLine { Kind: Unsolicited.Ready }) _replyEnded.TrySetResult();
        });
        return _screen is null
            ? await RunPipedAsync(cancellationToken).ConfigureAwait(false)
            : await RunKeyboardAsync(_screen, _keyboard!, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunPipedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var reading = _input!.ReadLineAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(reading, _channel.Closed).ConfigureAwait(false) != reading) return DeviceGone();
            var line = await reading.ConfigureAwait(false);
            if (line is null || line.Trim() is "exit" or "quit") break;
            if (_channel.Closed.IsCompleted) return DeviceGone();
            if (line.Length == 0 && !_promptOpen) continue;
            if (!_promptOpen)
            {
                Remember(line);
                _output.WriteLine($"> {line}");
            }
            // Piped input (echo AT | espwire at ...) waits for each reply, so the output is complete and in order.
            await SendAndAwaitReplyAsync(line, data: false, cancellationToken).ConfigureAwait(false);
            if (_channel.Closed.IsCompleted) return DeviceGone();
        }
        return ExitCodes.Ok;
    }

    // At a keyboard the next prompt is drawn at once and the reply printed above it; lines queue behind the reply.
    private async Task<int> RunKeyboardAsync(TerminalScreen screen, Keyboard keyboard, CancellationToken cancellationToken)
    {
        while (true)
        {
            screen.ShowPrompt();
            (EditResult Result, bool Data) edited;
            while (true)
            {
                var key = keyboard.ReadKeyAsync(cancellationToken);
                if (await Task.WhenAny(key, _channel.Closed).ConfigureAwait(false) != key) return DeviceGone();
                ConsoleKeyInfo? pressed;
                try
                {
                    pressed = await key.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return ExitCodes.Ok; // SIGTERM, or Ctrl+C sent as a signal: leave the terminal as it was
                }
                if (pressed is null) return ExitCodes.Ok; // the terminal closed: as Ctrl+D
                edited = screen.Handle(pressed.Value);
                if (edited.Result.Outcome == EditOutcome.Cancelled) screen.ShowPrompt();
                if (edited.Result.Outcome is EditOutcome.Line or EditOutcome.Quit) break;
            }
            if (edited.Result.Outcome == EditOutcome.Quit) return ExitCodes.Ok; // Ctrl+C or Ctrl+D on an empty line: now
            var line = edited.Result.Line!;
            if (!edited.Data && line.Trim() is "exit" or "quit") return await LeaveAsync().ConfigureAwait(false);
            if (_channel.Closed.IsCompleted) return DeviceGone();
            if (_sending.IsFaulted) await _sending.ConfigureAwait(false); // the device went away under an earlier line
            if (edited.Data || line.Length > 0)
            {
                if (!edited.Data) Remember(line);
                var previous = _sending;
                _sending = SendAfterAsync(previous, line, edited.Data, cancellationToken);
            }
            if (_channel.Closed.IsCompleted) return DeviceGone();
        }

        // exit (at the end of a pasted block, say): the lines before it still go out and get their replies.
        async Task<int> LeaveAsync()
        {
            try
            {
                await _sending.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            return _channel.Closed.IsCompleted ? DeviceGone() : ExitCodes.Ok;
        }
    }

    private async Task SendAfterAsync(Task previous, string line, bool data, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(false);
        await SendAndAwaitReplyAsync(line, data, cancellationToken).ConfigureAwait(false);
    }

    // One line out, then the wait for its reply: a final, the > prompt, busy, ready, or the command's own timeout.
    // A line goes out as data when the module's > prompt is open by the time it is the line's turn.
    private async Task SendAndAwaitReplyAsync(string line, bool data, CancellationToken cancellationToken)
    {
        _replyEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (data || _promptOpen)
        {
            _promptOpen = false;
            await _channel.WriteRawAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _channel.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
        }
        await Task.WhenAny(_replyEnded.Task, _channel.Closed, Task.Delay(CommandCatalogue.Typed(line).Timeout, cancellationToken)).ConfigureAwait(false);
    }

    private void Remember(string line)
    {
        if (_history.Count == 0 || _history[^1] != line) _history.Add(line);
        if (_history.Count > TerminalHistory.Limit) _history.RemoveAt(0);
    }
}
