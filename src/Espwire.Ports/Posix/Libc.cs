using System.Runtime.InteropServices;

namespace Espwire.Ports.Posix;

/// <summary>
/// The libc calls Espwire makes itself (Linux and macOS), in one place: pseudo-terminals (the emulator's ports and
/// the tests' terminal windows), raw mode for the AT terminal's keyboard, and poll/read/write on their descriptors.
/// </summary>
internal static partial class Libc
{
    public const int StdIn = 0;
    public const int O_RDWR = 0x2;
    public const int EINTR = 4;
    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const int TCSANOW = 0;

    /// <summary>Bigger than struct termios on every platform (60 bytes on Linux, 72 on macOS).</summary>
    public const int TermiosSize = 256;

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
    public static unsafe partial int open(byte* path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

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

    public static int NoCtty => OperatingSystem.IsMacOS() ? 0x20000 : 0x100;

    public static bool IsAgain(int errno) => errno == (OperatingSystem.IsMacOS() ? 35 : 11);

    // tcflag_t is 4 bytes on Linux, 8 on macOS; struct termios starts c_iflag, c_oflag, c_cflag, c_lflag.
    private static int FlagSize => OperatingSystem.IsMacOS() ? 8 : 4;

    /// <summary>Where c_oflag (the output flags) lies in struct termios.</summary>
    public static (int Offset, int Size) OutputFlags => (FlagSize, FlagSize);

    /// <summary>Where c_lflag (the local flags: ECHO, ICANON) lies in struct termios.</summary>
    public static (int Offset, int Size) LocalFlags => (3 * FlagSize, FlagSize);

    public const ulong ECHO = 0x8;
    public static ulong ICANON => OperatingSystem.IsMacOS() ? 0x100UL : 0x2UL;
}
