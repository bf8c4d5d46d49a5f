using System.IO.Pipelines;
using Espwire.Receiver.Framing;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>Reads one connection's lines from its <see cref="PipeReader"/>. Every read's complete lines are queued
/// before the next read, so a full queue stops reading the socket (backpressure) rather than dropping. An
/// acknowledged connection stays open after its input ends until every answer is sent.</summary>
internal sealed class LineSession(ReceiverCore core, DeviceConnection connection)
{
    public async Task RunAsync()
    {
        var input = connection.Input;
        var remote = connection.Remote;
        var framer = new LineFramer(core.Options.MaxLineLength);
        var decoder = new LineDecoder(core, remote, Transport.Tcp, core.AcknowledgementsEnabled ? connection.CreateAckTarget : null);
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
                    if (connection.WasReset) CountReset(null);
                    else if (idle.TimedOut && !core.Stopping.IsCancellationRequested)
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
            // A transport that completes its pipe with the reset loses the bytes still in the pipe; ours does not
            // (it marks the reset and completes cleanly), so this is only another host's way of saying it.
            CountReset(e.Message);
            failure = e;
        }
        catch (OperationCanceledException e)
        {
            // The transport aborted the connection.
            Interlocked.Increment(ref core.Stats.ConnectionResets);
            failure = e;
        }
        finally
        {
            core.Idle.Unregister(idle);
            await input.CompleteAsync(failure).ConfigureAwait(false);
        }
        // Answer everything read before closing: a per-message device waits for its ACK, then closes.
        if (decoder.Ack is { } ack) await ack.InputEndedAsync().ConfigureAwait(false);
    }

    private void CountReset(string? why)
    {
        var remote = connection.Remote;
        Interlocked.Increment(ref core.Stats.ConnectionResets);
        core.Notify(new ReceiverNotice(NoticeKind.Reset,
            $"Connection from {ReceiverCore.Describe(remote)} was reset{(why is null ? "" : ": " + why)}; every line it sent before the reset is kept.", remote));
    }
}
