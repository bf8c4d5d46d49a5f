using System.Text;
using Espwire.At.Commands;
using Espwire.At.Reader;
using Espwire.Ports;

namespace Espwire.At;

/// <summary>
/// One conversation with an AT firmware over a device link: a single reader fed by a background loop, commands
/// run one at a time with their own timeouts, <c>busy p...</c> waited out and retried, a reset mid-command
/// detected, and every event passed to subscribers (unsolicited lines, +IPD data and notices).
/// </summary>
public sealed class AtChannel : IAsyncDisposable
{
    private readonly IDeviceLink _link;
    private readonly AtChannelOptions _options;
    private readonly AtReader _reader;
    private readonly object _sync = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Action<AtEvent>> _subscribers = [];
    private readonly Task _readLoop;
    private PendingExchange? _pending;
    private bool _linkClosed;
    // Whether the module ever said anything only AT firmware says (echo, a final, busy, a prompt, a notice), and
    // the last plain text line it printed: text and never an AT reply means a sketch, not AT firmware.
    private bool _sawAtReply;
    private string? _lastText;
    // Set when a command timed out: its final result may still come and must not end the next command.
    private bool _lateReplyPossible;
    private Exception? _closeReason;

    private readonly bool _ownsLink;

    /// <param name="ownsLink">Dispose the link with the channel.</param>
    public AtChannel(IDeviceLink link, AtChannelOptions? options = null, bool ownsLink = false)
    {
        _ownsLink = ownsLink;
        _link = link ?? throw new ArgumentNullException(nameof(link));
        _options = options ?? new AtChannelOptions();
        _reader = new AtReader(_options.ReaderLimits);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public IDeviceLink Link => _link;

    /// <summary>Whether the module echoes commands. On after every reset; the typed API turns it off with ATE0.</summary>
    public bool EchoOn { get; set; } = true;

    /// <summary>Set when the module printed <c>ready</c> (it restarted); the typed API re-initialises and clears it.</summary>
    public bool ResetSeen { get; set; }

    /// <summary>Bytes dropped as garbage so far.</summary>
    public long GarbageBytes { get { lock (_sync) return _reader.GarbageBytes; } }

    /// <summary>Lines that arrived while no command was waiting for them (late replies, noise).</summary>
    public long StrayLines { get; private set; }

    private long _lastEventTicks = Environment.TickCount64;

    /// <summary>
    /// Waits until the module has said nothing for <paramref name="quiet"/> (at most <paramref name="limit"/>), so late
    /// replies to a command lost in a reset are not taken for the reply to the next one.
    /// </summary>
    public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            var idle = Environment.TickCount64 - Interlocked.Read(ref _lastEventTicks);
            if (idle >= quiet.TotalMilliseconds) return;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, quiet.TotalMilliseconds - idle)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the link closes.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Calls <paramref name="handler"/> for every event, on the reader's thread. Keep it short.</summary>
    public IDisposable Subscribe(Action<AtEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_subscribers) _subscribers.Add(handler);
        return new Subscription(this, handler);
    }

    /// <summary>Runs a declared exchange and returns its reply; its abort finals (ERROR, FAIL) are results, not exceptions.</summary>
    /// <exception cref="AtTimeoutException">No final result in time.</exception>
    /// <exception cref="ModuleResetException">The module restarted during a command that does not restart it.</exception>
    public async Task<AtResponse> RunAsync(Exchange exchange, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var started = DateTime.UtcNow;
                var garbageBefore = GarbageBytes;
                var pending = new PendingExchange(exchange);
                var outcome = await RunOnceAsync(pending, cancellationToken).ConfigureAwait(false);
                if (outcome is { } result)
                {
                    lock (_sync)
                        return new AtResponse(exchange, result, pending.Lines.ToArray(), pending.Unsolicited.ToArray(), pending.Data, DateTime.UtcNow - started)
                        {
                            GarbageBytes = _reader.GarbageBytes - garbageBefore,
                        };
                }
                if (attempt >= exchange.Spec.BusyRetries)
                    throw new AtException($"The module stayed busy and never took {exchange.Text}.", "Wait for the running join or connect to end (up to 20 s), or restart the module (AT+RST).");
                await WaitOutBusyAsync(pending, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends a line without waiting for a reply (the interactive terminal). Events still go to subscribers.</summary>
    public async Task WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_sync) _reader.ExpectEcho(EchoOn && line.Length > 0 ? line : null);
            await WriteAsync(Encoding.UTF8.GetBytes(line + _options.LineEnding), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends raw bytes (data after a prompt typed in the terminal).</summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Returns the final result, or null when the module answered busy and the command must go again.
    private async Task<ResultCode?> RunOnceAsync(PendingExchange pending, CancellationToken cancellationToken)
    {
        var exchange = pending.Exchange;
        lock (_sync)
        {
            if (_linkClosed) pending.Post(new ExchangeStep(ExchangeStepKind.Closed));
            _pending = pending;
            _reader.ExpectEcho(EchoOn ? exchange.Text : null);
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(exchange.Timeout);
            if (!pending.Finished)
                await WriteAsync(Encoding.UTF8.GetBytes(exchange.Text + _options.LineEnding), cancellationToken).ConfigureAwait(false);
            var payloadSent = false;
            while (true)
            {
                ExchangeStep step;
                try
                {
                    step = await pending.NextAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    bool heard;
                    lock (_sync)
                    {
                        heard = pending.HeardAnything;
                        _lateReplyPossible = true;
                    }
                    throw new AtTimeoutException(exchange, heard, _sawAtReply ? null : _lastText);
                }
                switch (step.Kind)
                {
                    case ExchangeStepKind.Prompt when exchange.Payload is { } payload && !payloadSent:
                        payloadSent = true;
                        await WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                        break;
                    case ExchangeStepKind.Prompt when exchange.Spec.EndsAtPrompt:
                        return ResultCode.Ok;
                    case ExchangeStepKind.Final:
                        return step.Result;
                    case ExchangeStepKind.Busy:
                        return null;
                    case ExchangeStepKind.Reset:
                        throw new ModuleResetException(exchange);
                    case ExchangeStepKind.Closed:
                        throw new AtException($"The link closed while running {exchange.Text}.", "Check the cable or the emulator; open the port again.", _closeReason);
                }
            }
        }
        finally
        {
            lock (_sync)
            {
                if (ReferenceEquals(_pending, pending) && !pending.BusySeen) _pending = null;
                _reader.ExpectEcho(null);
            }
        }
    }

    private async Task WaitOutBusyAsync(PendingExchange busy, CancellationToken cancellationToken)
    {
        // The module is still finishing an earlier command; its final result would be taken for ours. The busy
        // exchange stays in flight and swallows everything up to that final, or until the backoff ends.
        try
        {
            using var backoff = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            backoff.CancelAfter(_options.BusyBackoff);
            while (true)
            {
                var step = await busy.NextAsync(backoff.Token).ConfigureAwait(false);
                if (step.Kind is ExchangeStepKind.Drained or ExchangeStepKind.Closed or ExchangeStepKind.Reset) return;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The earlier command is still running: send again (and perhaps hear busy again).
        }
        finally
        {
            lock (_sync)
                if (ReferenceEquals(_pending, busy)) _pending = null;
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _link.Stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await _link.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[4096];
        var events = new List<AtEvent>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _link.Stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (n == 0) break;
                Interlocked.Exchange(ref _lastEventTicks, Environment.TickCount64);
                events.Clear();
                lock (_sync) _reader.Feed(buffer.AsSpan(0, n), events);
                // Subscribers first, then the command in flight: a caller that prints replies as they arrive (espwire
                // at) must have printed a reply's last line before the command completes and the next one is shown.
                Action<AtEvent>[] subscribers;
                lock (_subscribers) subscribers = _subscribers.ToArray();
                foreach (var e in events)
                    foreach (var s in subscribers)
                        s(e);
                lock (_sync)
                    foreach (var e in events) Route(e);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _closeReason = e;
        }
        finally
        {
            lock (_sync)
            {
                _linkClosed = true;
                _pending?.Post(new ExchangeStep(ExchangeStepKind.Closed));
            }
            _closed.TrySetResult();
        }
    }

    // Runs under _sync: hands the event to the exchange in flight.
    private void Route(AtEvent e)
    {
        var p = _pending;
        if (e is EchoLine or FinalLine or BusyLine or PromptEvent or UnsolicitedLine) _sawAtReply = true;
        else if (e is InfoLine { Text.Length: > 0 } text) _lastText = text.Text;
        if (e is UnsolicitedLine { Kind: Unsolicited.Ready })
        {
            EchoOn = true;
            ResetSeen = true;
            if (p is { Finished: false, BusySeen: false } && !p.Exchange.Spec.Restarts) p.Post(new ExchangeStep(ExchangeStepKind.Reset));
        }
        if (p is null)
        {
            if (e is InfoLine or FinalLine) StrayLines++;
            return;
        }
        if (e is not GarbageLine) p.HeardAnything = true;
        if (p.BusySeen)
        {
            // Everything up to the next final result belongs to the earlier command that made the module busy.
            if (e is FinalLine) p.Post(new ExchangeStep(ExchangeStepKind.Drained));
            return;
        }
        switch (e)
        {
            case InfoLine info:
                p.Lines.Add(info.Text);
                break;
            case UnsolicitedLine u:
                p.Unsolicited.Add(u);
                break;
            case ReceivedData data:
                p.Data = data.Data;
                break;
            case PromptEvent:
                p.Post(new ExchangeStep(ExchangeStepKind.Prompt));
                break;
            case BusyLine:
                p.BusySeen = true;
                p.Post(new ExchangeStep(ExchangeStepKind.Busy));
                break;
            case FinalLine final when !p.Finished:
                var spec = p.Exchange.Spec;
                // A final the spec does not list is a step inside the exchange (AT+CIPSEND's OK before its prompt).
                if (!spec.Success.Contains(final.Code) && !spec.Abort.Contains(final.Code)) break;
                if (_lateReplyPossible && spec.ReplyRequired && p.Exchange.ReplyLine is { } line && final.Code == ResultCode.Ok
                    && !p.Lines.Any(l => l.StartsWith(line, StringComparison.Ordinal)))
                {
                    // The late OK of the command that timed out; ours is still to come.
                    _lateReplyPossible = false;
                    StrayLines += p.Lines.Count + 1;
                    p.Lines.Clear();
                    break;
                }
                _lateReplyPossible = false;
                p.Post(new ExchangeStep(ExchangeStepKind.Final, final.Code));
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // Some streams (SerialPort) ignore cancellation; closing the link ends their read.
        if (_ownsLink) await _link.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAny(_readLoop, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        _stop.Dispose();
        _gate.Dispose();
    }

    private sealed class Subscription(AtChannel channel, Action<AtEvent> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (channel._subscribers) channel._subscribers.Remove(handler);
        }
    }
}
