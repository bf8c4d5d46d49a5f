using System.Runtime.InteropServices;

namespace Espwire.Ports;

/// <summary>
/// An advisory exclusive lock on a serial device (flock, as pyserial's <c>exclusive=True</c>), so two programs
/// that both lock do not read each other's bytes. Linux lets any number of processes open a tty at once.
/// </summary>
internal sealed partial class PortLock : IDisposable
{
    private const int ORdOnly = 0, ONonBlock = 0x800, ONoCtty = 0x100, OCloExec = 0x80000;
    private const int LockEx = 2, LockNb = 4, LockUn = 8;
    private const int EWouldBlock = 11;

    private int _fd;

    private PortLock(int fd) => _fd = fd;

    /// <summary>Locks the device, or returns null where locking is not available (Windows locks ports itself).</summary>
    /// <exception cref="PortException">Another program holds the lock.</exception>
    public static PortLock? Acquire(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        // O_NONBLOCK: a tty open must not wait for carrier detect; O_NOCTTY: never become our controlling terminal.
        int fd;
        try
        {
            fd = Open(path, ORdOnly | ONonBlock | ONoCtty | OCloExec);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // no usable libc: go on without the advisory lock
        }
        if (fd < 0) return null; // SerialPort.Open reports the real problem (missing, denied)
        if (Flock(fd, LockEx | LockNb) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Close(fd);
            if (errno == EWouldBlock)
                throw SerialErrors.Busy(path, new IOException("flock: the port is locked by another process."));
            return null;
        }
        return new PortLock(fd);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd < 0) return;
        Flock(fd, LockUn);
        Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
