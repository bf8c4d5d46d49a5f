using Espwire.Ports.Posix;
using System.Runtime.InteropServices;
using System.Text;

namespace Espwire.Ports.Pty;

/// <summary>
/// A pseudo-terminal pair: the emulator keeps the master side, users open <see cref="SlavePath"/>
/// (/dev/pts/N) with picocom, screen, pyserial or System.IO.Ports as they would open a CP2102.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private int _master;

    private PseudoTerminal(int master, string slavePath)
    {
        _master = master;
        SlavePath = slavePath;
        Stream = new PtyStream(this);
    }

    /// <summary>The path users open, e.g. <c>/dev/pts/5</c>.</summary>
    public string SlavePath { get; }

    /// <summary>
    /// The master side as a stream. Reads wait while no program has the slave open; writes made while no
    /// program has it open are dropped, as bytes on a serial line nobody listens to.
    /// </summary>
    public PtyStream Stream { get; }

    internal int MasterFd => _master;

    /// <summary>Opens a new pseudo-terminal in raw mode (no echo, no line editing, no CR/LF translation).</summary>
    public static unsafe PseudoTerminal Open()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            throw new PlatformNotSupportedException("Pseudo-terminals need Linux or macOS. Use --listen 127.0.0.1:PORT (socket://) instead.");
        var fd = Libc.posix_openpt(Libc.O_RDWR | Libc.NoCtty);
        if (fd < 0) throw Fail("posix_openpt");
        try
        {
            if (Libc.grantpt(fd) != 0) throw Fail("grantpt");
            if (Libc.unlockpt(fd) != 0) throw Fail("unlockpt");
            var name = stackalloc byte[256];
            if (Libc.ptsname_r(fd, name, 256) != 0) throw Fail("ptsname_r");
            var path = Encoding.ASCII.GetString(name, new ReadOnlySpan<byte>(name, 256).IndexOf((byte)0));

            // On Linux the master's termios calls act on the slave: make the line raw before anyone opens it.
            var termios = stackalloc byte[256];
            if (Libc.tcgetattr(fd, termios) != 0) throw Fail("tcgetattr");
            Libc.cfmakeraw(termios);
            if (Libc.tcsetattr(fd, Libc.TCSANOW, termios) != 0) throw Fail("tcsetattr");
            return new PseudoTerminal(fd, path);
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
    }

    private static IOException Fail(string call)
        => new($"{call} failed (errno {Marshal.GetLastPInvokeError()}): could not create a pseudo-terminal. Check that /dev/ptmx exists and devpts is mounted.");

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _master, -1);
        if (fd >= 0) Libc.close(fd);
    }
}
