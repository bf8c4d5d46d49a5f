using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Espwire.Emulator.Sketch;

/// <summary>
/// The seed's loop() rewritten with the Espwire library (firmware/Espwire, examples/SeedCounter): <c>send(num++)</c>
/// once a second into the ring, and the library's <c>loop()</c>: one kept connection, the hello <c>@id NAME ack</c>,
/// <c>#SEQ PAYLOAD</c> lines numbered after the hello's <c>ACK N</c>, resend of what is unacknowledged after a
/// reconnect, exponential backoff with jitter, Wi-Fi drops survived. Serial lines are the example's.
/// </summary>
internal sealed class EspwireSketchLoop
{
    private const int BackoffFirstMs = 500;
    private const int BackoffMaxMs = 30000;
    private const int WriteBytes = 512;  // the library's ESPWIRE_TX_BYTES
    // Network waits are real time, not the sketch's: a receiver does not answer faster because --time-scale is small.
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);

    private readonly SketchRuntime _rt;
    private readonly ReadingRing _ring;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Random _jitter;
    private int _backoff = BackoffFirstMs;
    private bool _failing = true;

    public EspwireSketchLoop(SketchRuntime rt)
    {
        _rt = rt;
        _ring = new ReadingRing(rt.Options.RingBytes);
        _jitter = new Random(HashCode.Combine(rt.DeviceName, rt.Module.Options.Index, Environment.TickCount));
    }

    private string Name => _rt.DeviceName!;

    public async Task RunAsync(CancellationToken ct)
    {
        await _rt.PrintLineAsync($"Sending to {_rt.ServerText} as {Name}, keeping up to {_rt.Options.RingBytes} bytes of readings until they are acknowledged.", ct).ConfigureAwait(false);
        _rt.Report(SketchStage.Sending, $"sending to {_rt.ServerText} as {Name}: one kept connection, every reading kept until acknowledged (ring {_rt.Options.RingBytes} bytes)");
        if (_rt.Signal is { } signal) signal.Changed += _ => Wake();
        var produce = ProduceAsync(ct);
        var link = LinkAsync(ct);
        await Task.WhenAll(produce, link).ConfigureAwait(false);
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>The sketch's own part of loop(): a reading each interval, into the ring.</summary>
    private async Task ProduceAsync(CancellationToken ct)
    {
        var options = _rt.Options;
        long num = options.FirstValue;
        for (var made = 0; options.MaxReadings is null || made < options.MaxReadings; made++)
        {
            var payload = _rt.FormatValue(num++);
            int dropped;
            lock (_ring)
            {
                dropped = _ring.Add(payload);
                options.Counters?.SetPending(_ring.Count);
            }
            options.Counters?.AddProduced();
            for (var i = 0; i < dropped; i++)
            {
                options.Counters?.AddDropped();
                var total = options.Counters?.Dropped ?? i + 1;
                await _rt.PrintLineAsync($"Ring full: dropped the oldest reading ({total} dropped so far).", ct).ConfigureAwait(false);
                _rt.ReportFailure(SketchStage.ReadingsDropped, $"ring full ({options.RingBytes} bytes): dropping the oldest readings while {_rt.ServerText} is away");
            }
            Wake();
            await _rt.DelayAsync((int)options.Interval.TotalMilliseconds, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The library's loop(): connect, hello, stream, resend; back off while the receiver is away.</summary>
    private async Task LinkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (_rt.Signal is { IsUp: false } signal) await RideOutWifiDropAsync(signal, ct).ConfigureAwait(false);
            var (socket, why) = await _rt.ConnectAsync(ct).ConfigureAwait(false);
            if (socket is null)
            {
                var wait = NextBackoff();
                await _rt.PrintLineAsync($"Failed to connect to server. Next try in {wait} ms.", ct).ConfigureAwait(false);
                _rt.ReportFailure(SketchStage.ServerUnreachable, $"cannot reach the server {_rt.ServerText}: {why} Readings are kept meanwhile.");
                _failing = true;
                await _rt.DelayAsync(wait, ct).ConfigureAwait(false);
                continue;
            }
            using (socket)
            {
                socket.NoDelay = true;
                var broke = await StreamAsync(socket, ct).ConfigureAwait(false);
                if (broke)
                {
                    long pending;
                    lock (_ring) pending = _ring.Count;
                    await _rt.PrintLineAsync($"Lost the server; {pending} readings kept for resending.", ct).ConfigureAwait(false);
                    _failing = true;
                    _backoff = BackoffFirstMs;
                    await _rt.DelayAsync(NextBackoff(), ct).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task RideOutWifiDropAsync(WifiSignal signal, CancellationToken ct)
    {
        await _rt.PrintLineAsync("Wi-Fi lost; readings are kept until it is back.", ct).ConfigureAwait(false);
        _rt.Report(SketchStage.WifiLost, $"lost the Wi-Fi network '{_rt.Options.Ssid}'; readings are kept until it is back");
        await signal.WaitUpAsync(ct).ConfigureAwait(false);
        // The core's auto-reconnect: association and DHCP again.
        await _rt.DelayAsync(_rt.Timing.AssociateMs + _rt.Timing.DhcpMs, ct).ConfigureAwait(false);
        var address = new Wifi.Station(_rt.Module).DhcpAddress();
        await _rt.PrintLineAsync($"Wi-Fi connected again as {address}", ct).ConfigureAwait(false);
        _rt.Report(SketchStage.Joined, $"joined '{_rt.Options.Ssid}' again as {address}");
    }

    /// <summary>One connection's life. True when it broke (the receiver went away, Wi-Fi dropped, no ACKs);
    /// false when the hello was never acknowledged.</summary>
    private async Task<bool> StreamAsync(Socket socket, CancellationToken ct)
    {
        using var life = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var helloAck = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastProgress = DateTime.UtcNow;
        var reader = ReadAcksAsync(socket, helloAck, () => lastProgress = DateTime.UtcNow, life.Token);
        try
        {
            lock (_ring) _ring.Reconnected();
            if (!await SendAsync(socket, Encoding.ASCII.GetBytes($"@id {Name} ack\r\n"), ct).ConfigureAwait(false)) return true;
            var first = await Task.WhenAny(helloAck.Task, reader, Task.Delay(HelloTimeout, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (first != helloAck.Task)
            {
                if (first == reader) return true;
                await _rt.PrintLineAsync("No ACK from the server; readings are kept.", ct).ConfigureAwait(false);
                _rt.ReportFailure(SketchStage.NoAcknowledgement, $"connected to {_rt.ServerText}, but it did not answer the hello within {HelloTimeout.TotalSeconds:0} s: " +
                    "is it espwire serve with acknowledgements (docs/ack-protocol.md), with a database (not --no-db)? Readings are kept; retrying.");
                _failing = true;
                await _rt.DelayAsync(NextBackoff(), ct).ConfigureAwait(false);
                return false;
            }
            if (_failing)
            {
                await _rt.PrintLineAsync($"Connected to {_rt.ServerText}, receiver has up to #{helloAck.Task.Result.ToString(CultureInfo.InvariantCulture)}", ct).ConfigureAwait(false);
                _rt.ReportRecovered(SketchStage.ServerReached, $"reached the server {_rt.ServerText}; resending what it has not stored");
                _failing = false;
            }
            _backoff = BackoffFirstMs;
            lastProgress = DateTime.UtcNow;
            while (!ct.IsCancellationRequested)
            {
                if (reader.IsCompleted || _rt.Signal is { IsUp: false }) return true;
                byte[] batch;
                int sent;
                lock (_ring)
                {
                    var before = _ring.Sent;
                    batch = _ring.TakeUnsent(WriteBytes);
                    if (before == 0 && _ring.Sent > 0) lastProgress = DateTime.UtcNow;
                    sent = _ring.Sent;
                }
                if (batch.Length > 0)
                {
                    if (!await SendAsync(socket, batch, ct).ConfigureAwait(false)) return true;
                    continue;
                }
                // A receiver that keeps the connection but stops acknowledging: a new connection resends.
                if (sent > 0 && DateTime.UtcNow - lastProgress > AckTimeout) return true;
                await Task.WhenAny(_wake.WaitAsync(TimeSpan.FromMilliseconds(250), ct), reader).ConfigureAwait(false);
            }
            return false;
        }
        finally
        {
            await life.CancelAsync().ConfigureAwait(false);
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task ReadAcksAsync(Socket socket, TaskCompletionSource<long> helloAck, Action progress, CancellationToken ct)
    {
        await Task.Yield();
        var buffer = new byte[512];
        var line = new StringBuilder();
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0) return;
                for (var i = 0; i < n; i++)
                {
                    var c = (char)buffer[i];
                    if (c != '\n')
                    {
                        if (line.Length < 64) line.Append(c);
                        continue;
                    }
                    var text = line.ToString().TrimEnd('\r');
                    line.Clear();
                    if (!text.StartsWith("ACK ", StringComparison.Ordinal) ||
                        !long.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var ack)) continue;
                    int popped;
                    lock (_ring)
                    {
                        popped = _ring.Acknowledge(ack);
                        _rt.Options.Counters?.SetPending(_ring.Count);
                    }
                    _rt.Options.Counters?.AddAcknowledged(popped);
                    progress();
                    helloAck.TrySetResult(ack);
                    Wake();
                }
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task<bool> SendAsync(Socket socket, byte[] bytes, CancellationToken ct)
    {
        try
        {
            var done = 0;
            while (done < bytes.Length) done += await socket.SendAsync(bytes.AsMemory(done), SocketFlags.None, ct).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Exponential backoff with jitter in [backoff/2, backoff), as the library does.</summary>
    private int NextBackoff()
    {
        var wait = _backoff / 2 + _jitter.Next(_backoff / 2);
        _backoff = Math.Min(_backoff * 2, BackoffMaxMs);
        return wait;
    }
}
