using System.Runtime.InteropServices;

namespace Espwire.Ports.Modem;

/// <summary>
/// TIOCMGET / TIOCMSET on a tty (Linux, macOS). The lines belong to the device, so this holds its own
/// descriptor on the same path as the serial port.
/// </summary>
public sealed partial class UnixModemControl : IModemControl, IDisposable
{
    private const int ORdWr = 0x2, ONonBlockLinux = 0x800, ONonBlockMac = 0x4, ONoCttyLinux = 0x100, ONoCttyMac = 0x20000;
    private const nuint TiocmgetLinux = 0x5415, TiocmsetLinux = 0x5418;
    private const nuint TiocmgetMac = 0x4004746A, TiocmsetMac = 0x8004746D; // _IOR('t', 106, int), _IOW('t', 109, int)

    private int _fd;

    private UnixModemControl(int fd) => _fd = fd;

    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <exception cref="IOException">The device cannot be opened.</exception>
    public static UnixModemControl Open(string path)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("TIOCMSET exists on Linux and macOS only.");
        var flags = ORdWr | (OperatingSystem.IsMacOS() ? ONonBlockMac | ONoCttyMac : ONonBlockLinux | ONoCttyLinux);
        var fd = OpenNative(path, flags);
        if (fd < 0) throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
        return new UnixModemControl(fd);
    }

    public int Get()
    {
        var bits = 0;
        Call(OperatingSystem.IsMacOS() ? TiocmgetMac : TiocmgetLinux, ref bits, "TIOCMGET");
        return bits;
    }

    public void Set(int bits) => Call(OperatingSystem.IsMacOS() ? TiocmsetMac : TiocmsetLinux, ref bits, "TIOCMSET");

    private unsafe void Call(nuint request, ref int bits, string name)
    {
        int result;
        fixed (int* p = &bits)
        {
            // ioctl is variadic: Apple arm64 passes variadic arguments on the stack, so six dummy register
            // arguments push the pointer there; everywhere else it goes in the third register.
            result = OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64
                ? IoctlAppleArm64(_fd, request, 0, 0, 0, 0, 0, 0, (nint)p)
                : Ioctl(_fd, request, (nint)p);
        }
        if (result < 0) throw new IOException($"{name} failed: errno {Marshal.GetLastPInvokeError()} (a pseudo-terminal or a driver without modem lines)");
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) CloseNative(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, nint argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlAppleArm64(int fd, nuint request, nint r2, nint r3, nint r4, nint r5, nint r6, nint r7, nint argument);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);
}
