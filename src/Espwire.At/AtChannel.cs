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
    private PendingCommand? _pending;
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

    /// <summary>Runs a command and returns its reply; ERROR and FAIL are results, not exceptions.</summary>
    /// <exception cref="AtTimeoutException">No final result in time.</exception>
    /// <exception cref="ModuleResetException">The module restarted during the command.</exception>
    public async Task<AtResponse> SendAsync(AtCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var started = DateTime.UtcNow;
                var pending = new PendingCommand(command);
                var outcome = await RunOnceAsync(pending, cancellationToken).ConfigureAwait(false);
                if (outcome is { } result)
                {
                    lock (_sync)
                        return new AtResponse(command, result, pending.Lines.ToArray(), pending.Unsolicited.ToArray(), pending.Data, DateTime.UtcNow - started);
                }
                if (attempt >= command.BusyRetries)
                    throw new AtException($"The module stayed busy and never took {command.Text}.", "Wait for the running join or connect to end (up to 20 s), or restart the module (AT+RST).");
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
    private async Task<ResultCode?> RunOnceAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        var command = pending.Command!;
        lock (_sync)
        {
            _pending = pending;
            _reader.ExpectEcho(EchoOn ? command.Text : null);
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(command.Timeout);
            var expired = Task.Delay(Timeout.Infinite, timeout.Token);
            await WriteAsync(Encoding.UTF8.GetBytes(command.Text + _options.LineEnding), cancellationToken).ConfigureAwait(false);
            var payloadSent = false;
            while (true)
            {
                var waits = new List<Task> { pending.Done.Task, pending.Busy.Task, expired, _closed.Task };
                if (command.Payload is not null && !payloadSent) waits.Add(pending.Prompt.Task);
                var first = await Task.WhenAny(waits).ConfigureAwait(false);
                if (pending.Busy.Task.IsCompleted) return null;
                if (first == pending.Done.Task) return await pending.Done.Task.ConfigureAwait(false);
                if (first == pending.Prompt.Task)
                {
                    payloadSent = true;
                    await WriteAsync(command.Payload!.Value, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (first == pending.Busy.Task) return null;
                if (first == _closed.Task)
                    throw new AtException($"The link closed while running {command.Text}.", "Check the cable or the emulator; open the port again.", _closeReason);
                cancellationToken.ThrowIfCancellationRequested();
                bool heard;
                lock (_sync)
                {
                    heard = pending.HeardAnything;
                    _lateReplyPossible = true;
                }
                throw new AtTimeoutException(command, heard);
            }
        }
        finally
        {
            lock (_sync)
            {
                if (ReferenceEquals(_pending, pending)) _pending = null;
                _reader.ExpectEcho(null);
            }
        }
    }

    private async Task WaitOutBusyAsync(PendingCommand busy, CancellationToken cancellationToken)
    {
        // The module is still finishing an earlier command; its final result would be taken for ours. Swallow it.
        var drain = new PendingCommand(null);
        lock (_sync)
        {
            if (busy.Drained.Task.IsCompleted) return;
            _pending = drain;
        }
        try
        {
            await Task.WhenAny(drain.Done.Task, Task.Delay(_options.BusyBackoff, cancellationToken), _closed.Task).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            lock (_sync)
                if (ReferenceEquals(_pending, drain)) _pending = null;
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
            _closed.TrySetResult();
        }
    }

    // Runs under _sync: hands the event to the command in flight.
    private void Route(AtEvent e)
    {
        var p = _pending;
        if (e is UnsolicitedLine { Kind: Unsolicited.Ready })
        {
            EchoOn = true;
            ResetSeen = true;
            var restartExpected = p?.Command?.Text is { } t
                && (t.StartsWith("AT+RST", StringComparison.OrdinalIgnoreCase) || t.StartsWith("AT+RESTORE", StringComparison.OrdinalIgnoreCase));
            if (p?.Command is not null && !restartExpected && !p.Done.Task.IsCompleted)
                p.Done.TrySetException(new ModuleResetException(p.Command));
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
            if (e is FinalLine) p.Drained.TrySetResult();
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
                p.PromptSeen = true;
                p.Prompt.TrySetResult();
                break;
            case BusyLine:
                p.BusySeen = true;
                p.Busy.TrySetResult();
                break;
            case FinalLine final:
                if (p.WaitsPastOk && final.Code == ResultCode.Ok) break;
                if (_lateReplyPossible && p.Command?.ReplyPrefix is { } prefix && final.Code == ResultCode.Ok
                    && !p.Lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    // The late OK of the command that timed out; ours is still to come.
                    _lateReplyPossible = false;
                    StrayLines += p.Lines.Count + 1;
                    p.Lines.Clear();
                    break;
                }
                _lateReplyPossible = false;
                p.Done.TrySetResult(final.Code);
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
