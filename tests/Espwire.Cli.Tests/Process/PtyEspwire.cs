using Espwire.Ports.Posix;
using Espwire.Testing;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Espwire.Cli.Tests.At;

namespace Espwire.Cli.Tests.ServeProcess;

/// <summary>
/// The built <c>espwire</c> run as a user runs it in a terminal window: stdin, stdout and stderr on the slave side of
/// a new pseudo-terminal (fresh: line mode, echo on, <see cref="Columns"/> columns), the test holding the master side
/// as a terminal emulator does. Keys are written to the master as a terminal sends them ("AT\r", "\u0015" for
/// Ctrl+U, "\u001b[A" for Up); what espwire writes is read from the master onto a <see cref="VirtualScreen"/>, so
/// tests wait for and assert on what the user would see. No new dependency: libc's posix_openpt, and sh to open
/// the slave as the process's terminal (stty sets its size). A forced kill on dispose leaves nothing running.
/// </summary>
internal sealed class PtyEspwire : IDisposable
{
    public const int Columns = 200;

    private readonly int _master;
    // The test's own hold on the slave side: without it a read of the master fails (EIO) until sh has opened the
    // slave. Let go once espwire exited, so the master reads to the end of what it wrote and then reports EIO.
    private int _slave;
    private readonly System.Diagnostics.Process _process;
    private readonly Thread _reader;
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _shell = new();
    private volatile bool _stop;

    private PtyEspwire(int master, int slave, System.Diagnostics.Process process)
    {
        _master = master;
        _slave = slave;
        _process = process;
        _reader = new Thread(ReadScreen) { IsBackground = true, Name = "pty master reader" };
    }

    /// <summary>What the user sees.</summary>
    public ScreenWriter Screen { get; } = new(Columns);

    /// <summary>Starts <c>dotnet espwire.dll ARGS</c> on a new pseudo-terminal, TERM=xterm, with <paramref name="environment"/> added.</summary>
    public static unsafe PtyEspwire Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var master = Libc.posix_openpt(Libc.O_RDWR | Libc.NoCtty);
        if (master < 0) throw new IOException($"posix_openpt failed (errno {Marshal.GetLastPInvokeError()})");
        string slave;
        int slaveFd;
        try
        {
            if (Libc.grantpt(master) != 0 || Libc.unlockpt(master) != 0) throw new IOException($"grantpt/unlockpt failed (errno {Marshal.GetLastPInvokeError()})");
            var name = stackalloc byte[256];
            if (Libc.ptsname_r(master, name, 256) != 0) throw new IOException($"ptsname_r failed (errno {Marshal.GetLastPInvokeError()})");
            slave = Encoding.ASCII.GetString(name, new ReadOnlySpan<byte>(name, 256).IndexOf((byte)0));
            var path = Encoding.UTF8.GetBytes(slave + "\0");
            fixed (byte* p = path) slaveFd = Libc.open(p, Libc.O_RDWR | Libc.NoCtty);
            if (slaveFd < 0) throw new IOException($"opening {slave} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        catch
        {
            Libc.close(master);
            throw;
        }

        // sh opens the slave as the process's stdin, stdout and stderr, as a terminal window's shell would.
        var start = new ProcessStartInfo("sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in (string[])["-c", $"pts=$1; shift; stty cols {Columns} rows 50 <\"$pts\" || exit 97; exec \"$@\" <\"$pts\" >\"$pts\" 2>&1", "espwire-pty", slave, ChildProcess.DotnetHost(), ChildProcess.EspwireDll(), .. args])
            start.ArgumentList.Add(arg);
        start.Environment.Remove("COLUMNS");
        start.Environment.Remove("LINES");
        start.Environment["TERM"] = "xterm";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new System.Diagnostics.Process { StartInfo = start };
        var pty = new PtyEspwire(master, slaveFd, process);
        process.OutputDataReceived += (_, e) => pty.Shell(e.Data);
        process.ErrorDataReceived += (_, e) => pty.Shell(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            pty.Dispose();
            throw;
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        pty._reader.Start();
        return pty;
    }

    private void Shell(string? line)
    {
        if (line is null) return;
        lock (_shell) _shell.AppendLine(line);
    }

    /// <summary>Types <paramref name="keys"/>: writes their bytes to the master, as a terminal does for key presses.</summary>
    public unsafe void Type(string keys)
    {
        var bytes = Encoding.UTF8.GetBytes(keys);
        fixed (byte* p = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var n = Libc.write(_master, p + done, bytes.Length - done);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    throw new IOException($"writing to the pseudo-terminal failed (errno {Marshal.GetLastPInvokeError()})");
                }
                done += (int)n;
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT...) to espwire with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        // sh exec'd dotnet: the process id is espwire's.
        using var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Whether the terminal is in line mode with echo (how a shell leaves it, and how espwire must leave it).</summary>
    public unsafe (bool Echo, bool LineMode) TerminalModes()
    {
        var termios = stackalloc byte[256];
        if (Libc.tcgetattr(_master, termios) != 0) throw new IOException($"tcgetattr failed (errno {Marshal.GetLastPInvokeError()})");
        var (offset, size) = Libc.LocalFlags;
        ulong lflag = size == 8 ? *(ulong*)(termios + offset) : *(uint*)(termios + offset);
        return ((lflag & Libc.ECHO) != 0, (lflag & Libc.ICANON) != 0);
    }

    /// <summary>Waits for <paramref name="condition"/> (a screen wait); fails with the screen when the ceiling passes
    /// or espwire ends first.</summary>
    public async Task WaitAsync(Task condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var ended = _process.WaitForExitAsync();
        var first = await Task.WhenAny(condition, Task.Delay(TestTimeouts.Patience), ended).ConfigureAwait(false);
        if (first == condition || condition.IsCompleted) return;
        var reason = first == ended ? "espwire ended before" : $"no {what} within {TestTimeouts.Patience.TotalSeconds} s:";
        throw new Xunit.Sdk.XunitException($"{reason} {what}.\n{Transcript()}");
    }

    /// <summary>The exit code, once espwire ended and everything it wrote is on the screen.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var ceiling = new CancellationTokenSource(TestTimeouts.Patience);
        try
        {
            await _process.WaitForExitAsync(ceiling.Token);
            ReleaseSlave();
            await _outputEnded.Task.WaitAsync(ceiling.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"espwire did not exit within {TestTimeouts.Patience.TotalSeconds} s.\n{Transcript()}");
        }
        return _process.ExitCode;
    }

    private void ReleaseSlave()
    {
        var fd = Interlocked.Exchange(ref _slave, -1);
        if (fd >= 0) Libc.close(fd);
    }

    public string Transcript()
    {
        string shell;
        lock (_shell) shell = _shell.ToString();
        return $"--- screen ---\n{Screen.Screen}\n--- sh ---\n{shell}";
    }

    // Everything the slave side writes, onto the screen; ends when the last program with the slave open closes it.
    private unsafe void ReadScreen()
    {
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        var buffer = new byte[4096];
        var chars = new char[4100];
        try
        {
            while (!_stop)
            {
                var fd = new Libc.PollFd { Fd = _master, Events = Libc.POLLIN };
                var ready = Libc.poll(&fd, 1, 200);
                if (ready == 0) continue;
                if (ready < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    return;
                }
                nint n;
                fixed (byte* b = buffer) n = Libc.read(_master, b, buffer.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                if (n <= 0) return; // EIO: every program with the slave open has closed it
                var count = decoder.GetChars(buffer, 0, (int)n, chars, 0, flush: false);
                Screen.Write(new string(chars, 0, count));
            }
        }
        finally
        {
            _outputEnded.TrySetResult();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        ReleaseSlave();
        _stop = true;
        // The reader polls and reads _master by number: close it only once the reader is gone, or a reused number
        // would hand the reader some other file's bytes. A reader still stuck after 5 s keeps the descriptor (leaked).
        var readerGone = !_reader.IsAlive || _reader.Join(TimeSpan.FromSeconds(5));
        _process.Dispose();
        if (readerGone) Libc.close(_master);
    }
}
