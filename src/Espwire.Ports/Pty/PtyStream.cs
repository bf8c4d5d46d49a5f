using Espwire.Ports.Posix;
using System.Runtime.InteropServices;

namespace Espwire.Ports.Pty;

/// <summary>
/// The master side of a <see cref="PseudoTerminal"/> as a <see cref="Stream"/>. Calls poll(2) in short slices so
/// that cancellation and <see cref="PseudoTerminal.Dispose"/> end a blocked read.
/// </summary>
public sealed class PtyStream : Stream
{
    private const int SliceMs = 50;
    private readonly PseudoTerminal _pty;

    internal PtyStream(PseudoTerminal pty) => _pty = pty;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>True while some program has the slave side open.</summary>
    public bool IsPeerOpen
    {
        get
        {
            using var lease = _pty.Acquire();
            return lease.Held && Poll(lease.Fd, Libc.POLLOUT, 0) is var r && r >= 0 && (r & Libc.POLLHUP) == 0;
        }
    }

    /// <summary>Bytes written while no program had the slave open (dropped).</summary>
    public long DroppedBytes { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => ReadCore(buffer, CancellationToken.None);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => new(Task.Factory.StartNew(() => ReadCore(buffer.Span, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private unsafe int ReadCore(Span<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The descriptor is held from the poll through the read: see PseudoTerminal's handle.
            short revents;
            using (var lease = _pty.Acquire())
            {
                if (!lease.Held) return 0;
                revents = Poll(lease.Fd, Libc.POLLIN, SliceMs);
                if (revents < 0) return 0;
                if ((revents & Libc.POLLIN) != 0)
                {
                    fixed (byte* p = buffer)
                    {
                        var n = Libc.read(lease.Fd, p, buffer.Length);
                        if (n > 0) return (int)n;
                        var errno = Marshal.GetLastPInvokeError();
                        if (n < 0 && (errno == Libc.EINTR || Libc.IsAgain(errno))) continue;
                    }
                }
            }
            // POLLHUP: no program has the slave open. Wait for one, as a serial port waits for a cable.
            if ((revents & Libc.POLLHUP) != 0) Thread.Sleep(SliceMs);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            using var lease = _pty.Acquire();
            if (!lease.Held) throw new ObjectDisposedException(nameof(PseudoTerminal));
            var revents = Poll(lease.Fd, Libc.POLLOUT, SliceMs);
            if (revents < 0) throw new ObjectDisposedException(nameof(PseudoTerminal));
            if ((revents & Libc.POLLHUP) != 0)
            {
                // Nobody listens: drop, or the next program to open the port would read stale output.
                DroppedBytes += buffer.Length;
                return;
            }
            if ((revents & Libc.POLLOUT) == 0) continue;
            fixed (byte* p = buffer)
            {
                var n = Libc.write(lease.Fd, p, buffer.Length);
                if (n > 0)
                {
                    buffer = buffer[(int)n..];
                    continue;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR || Libc.IsAgain(errno)) continue;
                throw new IOException($"write to the pseudo-terminal failed (errno {errno}).");
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <summary>poll(2) on a descriptor the caller holds: its revents, 0 on timeout or EINTR, -1 on an error.</summary>
    private static unsafe short Poll(int fd, short events, int timeoutMs)
    {
        var pfd = new Libc.PollFd { Fd = fd, Events = events };
        var r = Libc.poll(&pfd, 1, timeoutMs);
        if (r < 0) return (short)(Marshal.GetLastPInvokeError() == Libc.EINTR ? 0 : -1);
        return r == 0 ? (short)0 : pfd.Revents;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
