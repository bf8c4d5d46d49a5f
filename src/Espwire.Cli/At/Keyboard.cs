using System.Threading.Channels;

namespace Espwire.Cli.At;

/// <summary>
/// Key presses for the terminal's line editor, and the width of the screen they are typed on. The console
/// adapters (<see cref="RawTerminalKeyboard"/> on Linux and macOS, <see cref="ConsoleKeyboard"/> on Windows) only
/// read keys and post them here; tests post keys of their own (bytes through <see cref="KeyDecoder"/>).
/// </summary>
internal abstract class Keyboard : IDisposable
{
    // Keys read ahead of the editor; a paste larger than this waits in the terminal (the reader blocks).
    private const int Capacity = 8192;

    private readonly Channel<ConsoleKeyInfo> _keys = Channel.CreateBounded<ConsoleKeyInfo>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The console's keyboard, or null when this platform or this console cannot give key presses.</summary>
    public static Keyboard? ForConsole()
        => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? RawTerminalKeyboard.TryCreate()
            : OperatingSystem.IsWindows() ? ConsoleKeyboard.TryCreate()
            : null;

    /// <summary>The screen's width in columns (80 when it cannot be told).</summary>
    public virtual int Width => 80;

    /// <summary>Starts reading keys (and, at a real terminal, takes it out of line mode). Called once.</summary>
    public virtual void Start()
    {
    }

    /// <summary>The next key; null once there will be none (input closed).</summary>
    public async Task<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken)
        => await _keys.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _keys.Reader.TryRead(out var key) ? key : null;

    /// <summary>Hands a key to the editor; waits while <see cref="Capacity"/> keys are unread (on the reading thread).
    /// False once the keyboard is closed.</summary>
    protected bool Post(ConsoleKeyInfo key)
    {
        if (_keys.Writer.TryWrite(key)) return true;
        try
        {
            _keys.Writer.WriteAsync(key).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>No more keys will come.</summary>
    protected void End() => _keys.Writer.TryComplete();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) => End();
}
