using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Espwire.Cli.At;

/// <summary>
/// The keyboard of a Windows console: <see cref="Console.ReadKey(bool)"/> on a thread of its own (there it reads
/// key events, so nothing is echoed and nothing needs decoding), with Ctrl+C as a key and the console's VT100
/// processing switched on for the editor's cursor movements. Null when the console has no VT processing (before
/// Windows 10): the terminal then reads whole lines.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed partial class ConsoleKeyboard : Keyboard
{
    private const int StdOutputHandle = -11;
    private const uint EnableVirtualTerminalProcessing = 0x0004;

    private bool _treatControlC;
    private Thread? _reader;

    private ConsoleKeyboard()
    {
    }

    public static ConsoleKeyboard? TryCreate()
    {
        var handle = GetStdHandle(StdOutputHandle);
        if (!GetConsoleMode(handle, out var mode)) return null;
        if ((mode & EnableVirtualTerminalProcessing) == 0 && !SetConsoleMode(handle, mode | EnableVirtualTerminalProcessing)) return null;
        return new ConsoleKeyboard();
    }

    public override int Width
    {
        get
        {
            try
            {
                return Console.WindowWidth;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }

    public override void Start()
    {
        if (_reader is not null) return;
        _treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        _reader = new Thread(() =>
        {
            try
            {
                while (Post(Console.ReadKey(intercept: true)))
                {
                }
            }
            catch (InvalidOperationException)
            {
                // The console went away.
            }
            finally
            {
                End();
            }
        })
        { IsBackground = true, Name = "espwire at keyboard" };
        _reader.Start();
    }

    protected override void Dispose(bool disposing)
    {
        if (_reader is not null) Console.TreatControlCAsInput = _treatControlC;
        base.Dispose(disposing);
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial nint GetStdHandle(int handle);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetConsoleMode(nint handle, out uint mode);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetConsoleMode(nint handle, uint mode);
}
