using System.IO.Pipelines;
using System.Net;
using Espwire.Receiver.Framing;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>Reads one connection's lines from its <see cref="PipeReader"/>. Every read's complete lines are queued
/// before the next read, so a full queue stops reading the socket (backpressure) rather than dropping.</summary>
internal sealed class LineSession(ReceiverCore core, PipeReader input, IPEndPoint remote)
{
    public async Task RunAsync()
    {
        var framer = new LineFramer(core.Options.MaxLineLength);
        var decoder = new LineDecoder(core, remote, Transport.Tcp);
        var idle = core.Idle.Register(input);
        // A stop cancels the pending read; the session then keeps what it has and closes.
        using var onStop = core.Stopping.UnsafeRegister(static s => ((PipeReader)s!).CancelPendingRead(), input);
        Exception? failure = null;
        try
        {
            while (true)
            {
                ReadResult result;
                idle.WaitingForBytes = true;
                try
                {
                    result = await input.ReadAsync().ConfigureAwait(false);
                }
                finally
                {
                    idle.WaitingForBytes = false;
                }
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                var last = result.IsCompleted || result.IsCanceled || core.Stopping.IsCancellationRequested;
                try
                {
                    decoder.Stamp(Reading.NowMicros());
                    consumed = framer.Frame(buffer, final: last, decoder);
                    if (decoder.TakeBatch() is { } batch) await core.Queue.EnqueueAsync(batch).ConfigureAwait(false);
                }
                finally
                {
                    input.AdvanceTo(consumed, buffer.End);
                }
                if (last)
                {
                    if (idle.TimedOut && !core.Stopping.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref core.Stats.IdleTimeouts);
                        core.Notify(new ReceiverNotice(NoticeKind.IdleTimeout,
                            $"Closed {ReceiverCore.Describe(remote)}: nothing received for {core.Options.IdleTimeout.TotalSeconds:0.###} s (--idle-timeout).", remote));
                    }
                    break;
                }
                idle.Touch();
            }
        }
        catch (IOException e)
        {
            // A reset mid-line: the complete lines before it are already queued; the unterminated rest is lost with the socket.
            Interlocked.Increment(ref core.Stats.ConnectionResets);
            core.Notify(new ReceiverNotice(NoticeKind.Reset, $"Connection from {ReceiverCore.Describe(remote)} was reset: {e.Message}", remote));
            failure = e;
        }
        catch (OperationCanceledException e)
        {
            // The transport aborted the connection (Kestrel's ConnectionAbortedException).
            Interlocked.Increment(ref core.Stats.ConnectionResets);
            failure = e;
        }
        finally
        {
            core.Idle.Unregister(idle);
            await input.CompleteAsync(failure).ConfigureAwait(false);
        }
    }
}
