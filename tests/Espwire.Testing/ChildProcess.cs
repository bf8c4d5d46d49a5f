using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Espwire.Testing;

/// <summary>The signals a test sends a child process (their Linux numbers).</summary>
public enum Signal
{
    /// <summary>SIGINT: Ctrl+C in a terminal.</summary>
    Interrupt = 2,

    /// <summary>SIGKILL: no clean-up, no last words; what a power cut or the OOM killer does.</summary>
    Kill = 9,

    /// <summary>SIGTERM: how a service manager stops a process.</summary>
    Terminate = 15,
}

/// <summary>
/// A program run as a real child process, as a user or a service manager runs it: above all the built <c>espwire</c>
/// (<see cref="Espwire(string[])"/>), or another program (a host-built firmware example). Its stdout and stderr are
/// collected as they come, as lines and stdout also as its exact text (serial output has CR LF and bare LF that a line
/// reader would fold); a test waits for a line or a text with a ceiling, sends signals, waits for the exit code with a
/// ceiling, and disposing it kills whatever still runs, so a failed test leaves nothing behind.
/// </summary>
public sealed class ChildProcess : IDisposable, IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;
    private readonly Lock _gate = new();
    private readonly StringBuilder _stdoutText = new();
    private readonly StringBuilder _combined = new();
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];
    private readonly Task _stdoutDone;
    private readonly Task _stderrDone;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        _stdoutDone = Task.Run(() => PumpAsync(process.StandardOutput.BaseStream, _out, isStdout: true));
        _stderrDone = Task.Run(() => PumpAsync(process.StandardError.BaseStream, _err, isStdout: false));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only once the process has exited (see <see cref="WaitForExitAsync"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Stdout's complete lines so far, without their line ends.</summary>
    public IReadOnlyList<string> Output { get { lock (_gate) return [.. _out]; } }

    /// <summary>Stderr's complete lines so far.</summary>
    public IReadOnlyList<string> Error { get { lock (_gate) return [.. _err]; } }

    /// <summary>Stdout exactly as written, line ends included.</summary>
    public string StdoutText { get { lock (_gate) return _stdoutText.ToString(); } }

    /// <summary>Stderr's lines joined with '\n'.</summary>
    public string StderrText { get { lock (_gate) return string.Join('\n', _err); } }

    /// <summary>Stdout's exact text with stderr's lines put in as they arrived (each whole, ending in '\n'): what a
    /// terminal would show.</summary>
    public string AllText { get { lock (_gate) return _combined.ToString(); } }

    /// <summary>The built espwire with <paramref name="args"/>, run by the dotnet host that runs the tests.</summary>
    public static ChildProcess Espwire(params string[] args) => Espwire(args, env: null);

    /// <summary>The built espwire with <paramref name="args"/> and extra environment variables.</summary>
    public static ChildProcess Espwire(IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>>? env)
    {
        // A wide console so no line is wrapped; no colour codes in what the tests read.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["COLUMNS"] = "300",
            ["NO_COLOR"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in env ?? []) environment[key] = value;
        return Start(DotnetHost(), [EspwireDll(), .. args], environment, name: "espwire");
    }

    /// <summary>Any program, started in the temporary directory with stdin, stdout and stderr redirected.</summary>
    public static ChildProcess Start(string file, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>>? env = null, string? name = null)
    {
        // `env --default-signal=INT` (coreutils): a shell's background job, like the ones scripts/test.sh starts,
        // ignores SIGINT and passes that on; a user's terminal delivers Ctrl+C to a process that does not ignore it.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(file);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env ?? []) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        return new ChildProcess(process, name ?? Path.GetFileName(file));
    }

    /// <summary>
    /// The espwire.dll to run: <c>ESPWIRE_CLI_DLL</c> when set (another build, e.g. a branch's, to run the process
    /// tests against); else src/Espwire.Cli's build output in the test assembly's configuration and framework; else
    /// the copy a project reference put next to the test assembly.
    /// </summary>
    public static string EspwireDll()
    {
        if (Environment.GetEnvironmentVariable("ESPWIRE_CLI_DLL") is { Length: > 0 } other)
            return File.Exists(other) ? other : throw new FileNotFoundException($"ESPWIRE_CLI_DLL names {other}, which does not exist.", other);
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent?.Name ?? "Release";
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Espwire.slnx"))) continue;
            var built = Path.Combine(dir.FullName, "src", "Espwire.Cli", "bin", configuration, framework, "espwire.dll");
            if (File.Exists(built)) return built;
            break;
        }
        var copied = Path.Combine(testBin.FullName, "espwire.dll");
        if (File.Exists(copied) && File.Exists(Path.Combine(testBin.FullName, "espwire.runtimeconfig.json"))) return copied;
        throw new FileNotFoundException($"espwire.dll is neither in src/Espwire.Cli/bin/{configuration}/{framework} nor next to the tests; build it first: dotnet build src/Espwire.Cli -c {configuration}.");
    }

    /// <summary>The dotnet that runs the tests (the SDK's DOTNET_HOST_PATH), to run espwire.dll with.</summary>
    public static string DotnetHost()
    {
        // The SDK tells test hosts which dotnet runs them; otherwise this process is itself run by dotnet.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    private async Task PumpAsync(Stream stream, List<string> lines, bool isStdout)
    {
        var bytes = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var decoder = Encoding.UTF8.GetDecoder(); // stateful: a character split across reads stays whole
        var line = new StringBuilder();
        try
        {
            int n;
            while ((n = await stream.ReadAsync(bytes).ConfigureAwait(false)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, n, chars, 0);
                lock (_gate)
                {
                    if (isStdout)
                    {
                        _stdoutText.Append(chars, 0, count);
                        _combined.Append(chars, 0, count);
                    }
                    for (var i = 0; i < count; i++)
                    {
                        if (chars[i] != '\n')
                        {
                            line.Append(chars[i]);
                            continue;
                        }
                        AddLine(lines, line, isStdout);
                    }
                }
                Changed();
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process; what was read is kept.
        }
        finally
        {
            lock (_gate)
            {
                if (line.Length > 0) AddLine(lines, line, isStdout);
            }
            Changed();
        }
    }

    // Called under _gate.
    private void AddLine(List<string> lines, StringBuilder line, bool isStdout)
    {
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        var text = line.ToString();
        line.Clear();
        lines.Add(text);
        if (!isStdout) _combined.Append(text).Append('\n');
    }

    private void Changed()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Waits for the first line (of stdout, or stderr) that matches; returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, bool stderr = false, TimeSpan? ceiling = null)
    {
        string? found = null;
        var scanned = 0;
        var lines = stderr ? _err : _out;
        await WaitAsync(() =>
        {
            for (; scanned < lines.Count && found is null; scanned++)
                if (match(lines[scanned])) found = lines[scanned];
            return found is not null;
        }, what, ceiling).ConfigureAwait(false);
        return found!;
    }

    /// <summary>Waits until <paramref name="count"/> lines (of stdout, or stderr) match. Scans each line once:
    /// serve may print thousands.</summary>
    public Task WaitForLinesAsync(Func<string, bool> match, int count, string what, bool stderr = false, TimeSpan? ceiling = null)
    {
        var scanned = 0;
        var found = 0;
        var lines = stderr ? _err : _out;
        return WaitAsync(() =>
        {
            for (; scanned < lines.Count && found < count; scanned++)
                if (match(lines[scanned])) found++;
            return found >= count;
        }, what, ceiling);
    }

    /// <summary>Waits until <paramref name="text"/> has appeared <paramref name="times"/> times in <see cref="AllText"/>
    /// (anywhere, across line ends too).</summary>
    public Task WaitForTextAsync(string text, int times = 1, TimeSpan? ceiling = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var from = 0;
        var found = 0;
        return WaitAsync(() =>
        {
            // Only the part not searched yet, plus the tail a match could still start in.
            var tail = _combined.ToString(from, _combined.Length - from);
            var next = 0;
            int at;
            while (found < times && (at = tail.IndexOf(text, next, StringComparison.Ordinal)) >= 0)
            {
                found++;
                next = at + text.Length;
            }
            from += Math.Max(next, Math.Max(0, tail.Length - text.Length + 1));
            return found >= times;
        }, $"'{text}' x{times}", ceiling);
    }

    /// <summary>How often <paramref name="text"/> appears in <see cref="AllText"/> so far.</summary>
    public int Count(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var all = AllText;
        var n = 0;
        for (var i = all.IndexOf(text, StringComparison.Ordinal); i >= 0; i = all.IndexOf(text, i + text.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    // Checks the condition (under the lock) on every change of the output; fails with the transcript when the output
    // ends (the process is gone) without it, or when the ceiling passes.
    private async Task WaitAsync(Func<bool> condition, string what, TimeSpan? ceiling)
    {
        var limit = ceiling ?? TestTimeouts.Patience;
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            bool ended;
            lock (_gate)
            {
                if (condition()) return;
                changed = _changed.Task;
                ended = _stdoutDone.IsCompleted && _stderrDone.IsCompleted;
            }
            if (ended)
                throw new Xunit.Sdk.XunitException($"{_name} ended{ExitText()} before {what}.\n{Transcript()}");
            try
            {
                await changed.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{_name} did not get to {what} within {limit.TotalSeconds:0.#} s.\n{Transcript()}");
            }
        }
    }

    private string ExitText()
    {
        try
        {
            return _process.WaitForExit(TimeSpan.FromSeconds(5)) ? $" (exit {_process.ExitCode})" : "";
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    /// <summary>Writes <paramref name="text"/> to the program's stdin and closes it, as <c>printf ... | espwire</c> does.</summary>
    public async Task PipeInputAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text).ConfigureAwait(false);
        _process.StandardInput.Close();
    }

    /// <summary>Sends <paramref name="signal"/> to the process (kill(2)); a process already gone is not an error.</summary>
    public void Send(Signal signal)
    {
        if (_process.HasExited) return;
        if (kill(_process.Id, (int)signal) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill -{(int)signal} {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Sends <paramref name="signal"/> and waits for the exit; returns the exit code.</summary>
    public Task<int> StopAsync(Signal signal, TimeSpan? ceiling = null)
    {
        Send(signal);
        return WaitForExitAsync(ceiling);
    }

    /// <summary>SIGKILL and wait for the end: a crash, as far as the process can tell.</summary>
    public async Task KillAsync(TimeSpan? ceiling = null)
    {
        Send(Signal.Kill);
        await WaitForExitAsync(ceiling).ConfigureAwait(false);
    }

    /// <summary>The exit code, once the process has ended and its output is read to the end; fails with what it
    /// printed when the ceiling passes first.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? ceiling = null)
    {
        var limit = ceiling ?? TestTimeouts.Patience;
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await Task.WhenAll(_stdoutDone, _stderrDone).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{_name} did not exit within {limit.TotalSeconds:0.#} s.\n{Transcript()}");
        }
        return _process.ExitCode;
    }

    /// <summary>What the process printed, for failure messages: stderr whole, stdout's first and last lines.</summary>
    public string Transcript()
    {
        var output = Output;
        var shown = output.Count <= 60 ? output : [.. output.Take(20), $"... ({output.Count - 40} lines) ...", .. output.TakeLast(20)];
        return $"--- {_name} stdout ---\n{string.Join('\n', shown)}\n--- {_name} stderr ---\n{StderrText}";
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
