using Espwire.Ports.Posix;

namespace Espwire.Cli.At;

/// <summary>
/// The keyboard of a Linux or macOS terminal: stdin in raw mode (no kernel echo, no line buffering, Ctrl+C and
/// Ctrl+D as keys) read byte by byte on a thread of its own and decoded by <see cref="KeyDecoder"/>. Output
/// processing is left as the user had it (LF still starts a new line), and the settings are restored on dispose.
/// </summary>
/// <remarks>
/// Not <see cref="Console.ReadKey(bool)"/>: on Unix it switches the terminal to raw mode only while it waits, so keys
/// typed or pasted between two calls (a module reply being printed) are echoed by the kernel, line-buffered and
/// shown twice, and it needs a terminfo entry for TERM to know any key beyond the letters. Reading the bytes and
/// decoding the few sequences a line editor needs works the same under every terminal and pseudo-terminal.
/// </remarks>
internal sealed unsafe class RawTerminalKeyboard : Keyboard
{
    // How long an ESC waits for the rest of its sequence before it counts as the Escape key.
    private const int EscapeTimeoutMs = 100;
    // How often the reading thread looks at whether it should stop.
    private const int StopCheckMs = 200;

    private readonly byte[] _saved = new byte[Libc.TermiosSize];
    private readonly KeyDecoder _decoder = new();
    private Thread? _reader;
    private volatile bool _stop;
    private bool _raw;

    private RawTerminalKeyboard()
    {
    }

    public static RawTerminalKeyboard? TryCreate()
    {
        if (Libc.isatty(Libc.StdIn) != 1) return null;
        var keyboard = new RawTerminalKeyboard();
        fixed (byte* saved = keyboard._saved)
            if (Libc.tcgetattr(Libc.StdIn, saved) != 0) return null;
        return keyboard;
    }

    public override int Width
    {
        get
        {
            try
            {
                return Console.WindowWidth;
            }
            catch (Exception e) when (e is IOException or PlatformNotSupportedException)
            {
                return 80;
            }
        }
    }

    public override void Start()
    {
        if (_reader is not null) return;
        var raw = new byte[Libc.TermiosSize];
        fixed (byte* saved = _saved)
        fixed (byte* r = raw)
        {
            new ReadOnlySpan<byte>(saved, Libc.TermiosSize).CopyTo(new Span<byte>(r, Libc.TermiosSize));
            Libc.cfmakeraw(r);
            var (offset, size) = Libc.OutputFlags;
            new ReadOnlySpan<byte>(saved + offset, size).CopyTo(new Span<byte>(r + offset, size));
            // When this fails the terminal stays in line mode: keys still come, a line at a time.
            _raw = Libc.tcsetattr(Libc.StdIn, Libc.TCSANOW, r) == 0;
        }
        _reader = new Thread(ReadKeys) { IsBackground = true, Name = "espwire at keyboard" };
        _reader.Start();
    }

    private void ReadKeys()
    {
        var buffer = new byte[512];
        var keys = new List<ConsoleKeyInfo>();
        try
        {
            while (!_stop)
            {
                var fd = new Libc.PollFd { Fd = Libc.StdIn, Events = Libc.POLLIN };
                var ready = Libc.poll(&fd, 1, _decoder.Pending ? EscapeTimeoutMs : StopCheckMs);
                if (ready < 0)
                {
                    if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    return;
                }
                if (ready == 0)
                {
                    if (!_decoder.Pending) continue;
                    _decoder.Flush(keys);
                }
                else
                {
                    nint n;
                    fixed (byte* b = buffer) n = Libc.read(Libc.StdIn, b, buffer.Length);
                    if (n == 0) return; // the terminal hung up
                    if (n < 0)
                    {
                        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                        if (errno == Libc.EINTR || Libc.IsAgain(errno)) continue;
                        return;
                    }
                    _decoder.Feed(buffer.AsSpan(0, (int)n), keys);
                }
                foreach (var key in keys)
                    if (!Post(key)) return;
                keys.Clear();
            }
        }
        finally
        {
            End();
        }
    }

    protected override void Dispose(bool disposing)
    {
        _stop = true;
        base.Dispose(disposing); // a reader waiting for room gives up
        if (disposing) _reader?.Join(TimeSpan.FromSeconds(1));
        if (_raw)
        {
            _raw = false;
            fixed (byte* saved = _saved) Libc.tcsetattr(Libc.StdIn, Libc.TCSANOW, saved);
        }
    }
}
