using System.Runtime.InteropServices;

namespace Espwire.Cli.At;

/// <summary>The libc calls that put a terminal in raw mode and read it (Linux and macOS).</summary>
internal static partial class TerminalNative
{
    public const int StdIn = 0;
    public const int TCSANOW = 0;
    public const short POLLIN = 0x1;
    public const int EINTR = 4;

    // Bigger than struct termios on every platform (60 bytes on Linux, 72 on macOS).
    public const int TermiosSize = 256;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

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
    public static unsafe partial int poll(PollFd* fds, nuint nfds, int timeout);

    public static bool IsAgain(int errno) => errno == (OperatingSystem.IsMacOS() ? 35 : 11);

    /// <summary>Where c_oflag (the output flags) lies in struct termios: tcflag_t is 4 bytes on Linux, 8 on macOS.</summary>
    public static (int Offset, int Size) OutputFlags => OperatingSystem.IsMacOS() ? (8, 8) : (4, 4);
}
