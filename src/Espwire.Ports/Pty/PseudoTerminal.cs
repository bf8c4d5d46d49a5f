using Espwire.Ports.Posix;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Espwire.Ports.Pty;

/// <summary>
/// A pseudo-terminal pair: the emulator keeps the master side, users open <see cref="SlavePath"/>
/// (/dev/pts/N) with picocom, screen, pyserial or System.IO.Ports as they would open a CP2102.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    // A SafeHandle, not an int: Dispose on one thread while the stream polls, reads or writes on another must not
    // close the descriptor under that call. A closed number is reused by the next open, pipe or socket anywhere in the
    // process, and a read already past its poll would then take that file's bytes (it once took the runtime's
    // thread-start byte, and a thread that was being started hung for good). The handle closes when its last user
    // lets go.
    private readonly SafeFileHandle _master;
    private bool _disposed;

    private PseudoTerminal(int master, string slavePath)
    {
        _master = new SafeFileHandle(master, ownsHandle: true);
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

    /// <summary>Holds the master descriptor open for one call on it, until the lease is disposed; a lease that is not
    /// <see cref="Lease.Held"/> means the pseudo-terminal is disposed.</summary>
    internal Lease Acquire()
    {
        var added = false;
        try
        {
            _master.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return default;
        }
        // SafeHandle still lets a new reference in while an earlier one holds a disposed handle open; the flag does not.
        if (Volatile.Read(ref _disposed))
        {
            _master.DangerousRelease();
            return default;
        }
        return new Lease(_master);
    }

    /// <summary>One call's hold on the master descriptor (<see cref="Acquire"/>).</summary>
    internal readonly ref struct Lease
    {
        private readonly SafeFileHandle? _handle;

        internal Lease(SafeFileHandle handle) => _handle = handle;

        public bool Held => _handle is not null;

        public int Fd => _handle is null ? -1 : (int)_handle.DangerousGetHandle();

        public void Dispose() => _handle?.DangerousRelease();
    }

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

    /// <summary>Closes the master side (now, or when a call still on it returns, within one 50 ms poll slice).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _master.Dispose();
    }
}
