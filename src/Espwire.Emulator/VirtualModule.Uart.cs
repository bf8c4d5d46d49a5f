using System.Diagnostics;
using System.IO.Pipelines;
using Espwire.Emulator.Hosting;

namespace Espwire.Emulator;

/// <summary>The UART's two directions: a host attached to RX/TX, and the firmware's output going to it.</summary>
public sealed partial class VirtualModule
{
    /// <summary>
    /// Serves one host: bytes from <paramref name="host"/> go to the UART RX, the UART TX goes to it. Returns when
    /// the host's stream ends or <paramref name="cancellationToken"/> is cancelled. A new attach replaces the
    /// previous host, as when another program opens the port.
    /// </summary>
    public async Task AttachAsync(Stream host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _life.Token);
        var attachment = new HostAttachment(host, cts);
        HostAttachment? previous;
        lock (_gate)
        {
            previous = _host;
            _host = attachment;
        }
        previous?.Cancel();
        // Attached before power-on, the host sees the whole first boot.
        bool started;
        lock (_gate) started = _started;
        if (!started) Start();
        else if (Options.ResetOnAttach) SoftReset();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await host.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    break;
                }
                if (n == 0) break;
                await PaceInputAsync(n, cts.Token).ConfigureAwait(false);
                await WriteInputAsync(buffer.AsMemory(0, n), cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_host, attachment)) _host = null;
            }
            attachment.Cancel();
        }
    }

    private async ValueTask PaceInputAsync(int bytes, CancellationToken ct)
    {
        if (!Options.Pace) return;
        var now = Stopwatch.GetTimestamp();
        var start = Math.Max(now, _inputLineFreeAt);
        _inputLineFreeAt = start + (long)(bytes * 10.0 / BaudRate * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(now, _inputLineFreeAt);
        if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, ct).ConfigureAwait(false);
    }

    /// <summary>Puts bytes on the UART RX as if the host sent them (no host stream needed; tests and tools).</summary>
    public async ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await _inputGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Pipe? pipe;
            lock (_gate) pipe = _input;
            // Held in reset, or between boots: the bytes fall on a chip that is not listening.
            if (pipe is null)
            {
                Interlocked.Add(ref _droppedInput, data.Length);
                return;
            }
            try
            {
                await pipe.Writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // The pipe was completed by a reset while we wrote.
            }
        }
        finally
        {
            _inputGate.Release();
        }
    }

    internal async ValueTask EmitAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (data.IsEmpty) return;
        SerialOutput?.Invoke(data.ToArray());
        HostAttachment? host;
        lock (_gate) host = _host;
        if (host is null)
        {
            Interlocked.Add(ref _droppedOutput, data.Length);
            return;
        }
        await host.WriteAsync(data, ct).ConfigureAwait(false);
    }
}
