using System.Diagnostics;
using System.IO.Pipelines;
using Espwire.Emulator.At.Links;

namespace Espwire.Emulator.At;

/// <summary>AT+CIPMODE=1 pass-through, left by a lone <c>+++</c> between two silences.</summary>
public sealed partial class AtSession
{
    internal AtLink? TransparentLink { get; private set; }

    internal void BeginTransparent(AtLink link)
    {
        TransparentLink = link;
        _mode = InputMode.Transparent;
        _lastInputTicks = Stopwatch.GetTimestamp();
    }

    private async Task<int> TakeTransparentAsync(byte[] chunk, int i, TimeSpan silenceBefore, PipeReader reader, CancellationToken ct)
    {
        var guard = Module.Clock.Scaled(EscapeGuard);
        var data = chunk.AsMemory(i);
        if (_escapePending)
        {
            // More bytes came within the guard: the +++ was data after all.
            _escapePending = false;
            _escapeTimer?.Dispose();
            await ForwardTransparentAsync("+++"u8.ToArray(), ct).ConfigureAwait(false);
        }
        if (data.Span.SequenceEqual("+++"u8) && silenceBefore >= guard)
        {
            _escapePending = true;
            _escapeTimer?.Dispose();
            _escapeTimer = new Timer(_ =>
            {
                try
                {
                    reader.CancelPendingRead();
                }
                catch (InvalidOperationException)
                {
                    // The boot ended (reset) while the guard ran.
                }
            }, null, guard <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : guard, Timeout.InfiniteTimeSpan);
            return chunk.Length;
        }
        await ForwardTransparentAsync(data, ct).ConfigureAwait(false);
        return chunk.Length;
    }

    private async Task ForwardTransparentAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var link = TransparentLink;
        if (link is null || !link.IsOpen) return;
        await link.SendAsync(data, ct).ConfigureAwait(false);
    }

    private ValueTask LeaveTransparentAsync(CancellationToken ct)
    {
        _escapeTimer?.Dispose();
        _escapeTimer = null;
        TransparentLink = null;
        _mode = InputMode.Command;
        _ = ct;
        Module.Note("transparent mode left");
        return ValueTask.CompletedTask;
    }

    /// <summary>The transparent link closed: back to command mode.</summary>
    internal void EndTransparentFor(AtLink link)
    {
        if (ReferenceEquals(TransparentLink, link))
        {
            TransparentLink = null;
            if (_mode == InputMode.Transparent) _mode = InputMode.Command;
        }
    }
}
