using System.Runtime.InteropServices;

namespace Espwire.Ports.Pty;

/// <summary>The libc calls a pseudo-terminal needs (Linux and macOS).</summary>
internal static partial class PtyNative
{
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY_LINUX = 0x100;
    public const int O_NOCTTY_MAC = 0x20000;
    public const int EINTR = 4;
    public const int EAGAIN_LINUX = 11;
    public const int EAGAIN_MAC = 35;
    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const int TCSANOW = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int ptsname_r(int fd, byte* buf, nint buflen);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc")]
    public static unsafe partial void cfmakeraw(byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint read(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint write(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    public static int NoCtty => OperatingSystem.IsMacOS() ? O_NOCTTY_MAC : O_NOCTTY_LINUX;

    public static bool IsAgain(int errno) => errno == (OperatingSystem.IsMacOS() ? EAGAIN_MAC : EAGAIN_LINUX);
}
