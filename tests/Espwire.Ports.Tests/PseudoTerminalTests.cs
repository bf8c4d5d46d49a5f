using System.Text;
using Espwire.Ports.Posix;
using Espwire.Ports.Pty;
using Espwire.Testing;

namespace Espwire.Ports.Tests;

/// <summary>
/// Dispose racing a call on the master side. A descriptor closed under a poll, read or write lets the next open,
/// pipe or socket in the process reuse its number, and the call then reads or writes that other file (a stressed run
/// hung for good when a read took the runtime's thread-start byte).
/// </summary>
public sealed class PseudoTerminalTests
{
    [Fact]
    public void A_descriptor_in_use_stays_open_through_dispose_and_closes_when_the_call_lets_go()
    {
        var pty = PseudoTerminal.Open();
        var slave = OpenSlave(pty);
        try
        {
            var lease = pty.Acquire();
            Assert.True(lease.Held);
            pty.Dispose();
            // Disposed: no new call may start, but the one holding the descriptor still has the same file.
            Assert.False(pty.Acquire().Held);
            Assert.Equal(0, HangupOf(slave));
            Assert.Equal(0, pty.Stream.Read(new byte[16]));
            Assert.Throws<ObjectDisposedException>(() => pty.Stream.Write("x"u8));

            lease.Dispose();
            // The last user let go: now the master is closed, and the slave sees the line hang up.
            Assert.NotEqual(0, HangupOf(slave));
        }
        finally
        {
            Libc.close(slave);
        }
    }

    [Fact]
    public async Task A_read_waiting_on_the_line_ends_when_the_terminal_is_disposed()
    {
        var pty = PseudoTerminal.Open();
        var slave = OpenSlave(pty);
        try
        {
            var read = pty.Stream.ReadAsync(new byte[64]).AsTask();
            // The slave is open and silent, so the read polls the master; a write through the slave proves it reads.
            WriteSlave(slave, "ping");
            Assert.Equal(4, await read.WaitAsync(TestTimeouts.Patience));

            var waiting = pty.Stream.ReadAsync(new byte[64]).AsTask();
            Assert.False(waiting.IsCompleted);
            pty.Dispose();
            Assert.Equal(0, await waiting.WaitAsync(TestTimeouts.Patience));
            await Eventually.UntilAsync(() => HangupOf(slave) != 0, "the slave to see the master closed");
        }
        finally
        {
            Libc.close(slave);
        }
    }

    private static unsafe int OpenSlave(PseudoTerminal pty)
    {
        var path = Encoding.UTF8.GetBytes(pty.SlavePath + "\0");
        int fd;
        fixed (byte* p = path) fd = Libc.open(p, Libc.O_RDWR | Libc.NoCtty);
        Assert.True(fd >= 0, $"opening {pty.SlavePath} failed");
        return fd;
    }

    private static unsafe void WriteSlave(int fd, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = bytes) Assert.Equal(bytes.Length, (int)Libc.write(fd, p, bytes.Length));
    }

    /// <summary>The slave's POLLHUP bit right now (0 while the master is open).</summary>
    private static unsafe int HangupOf(int slave)
    {
        var pfd = new Libc.PollFd { Fd = slave, Events = Libc.POLLIN };
        Assert.True(Libc.poll(&pfd, 1, 0) >= 0);
        return pfd.Revents & Libc.POLLHUP;
    }
}
