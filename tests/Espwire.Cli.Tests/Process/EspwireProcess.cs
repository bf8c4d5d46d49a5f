using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

// Not ...Tests.Process: a namespace of that name would hide System.Diagnostics.Process from every test in Espwire.Cli.Tests.
namespace Espwire.Cli.Tests.ServeProcess;

/// <summary>The built <c>espwire</c> run as a real process, as a user or a service manager runs it: its stdout and
/// stderr collected line by line (waitable), signals sent with kill(1), and a forced kill on dispose so a failed test
/// leaves nothing running.</summary>
internal sealed partial class EspwireProcess : IDisposable
{
    /// <summary>Ceiling for anything a healthy process does promptly (start, bind, drain, exit) on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly System.Diagnostics.Process _process;
    private readonly object _gate = new();
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];
    private readonly TaskCompletionSource _outClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EspwireProcess(System.Diagnostics.Process process) => _process = process;

    public int Id => _process.Id;

    public IReadOnlyList<string> Output { get { lock (_gate) return [.. _out]; } }

    public IReadOnlyList<string> Error { get { lock (_gate) return [.. _err]; } }

    public static EspwireProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts espwire with <paramref name="environment"/> added to its environment (HOME, XDG_CONFIG_HOME...).</summary>
    public static EspwireProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
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
        start.ArgumentList.Add(DotnetHost());
        start.ArgumentList.Add(EspwireDll());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // A wide console so no line is wrapped; no colour codes in what the tests read.
        start.Environment["COLUMNS"] = "300";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new System.Diagnostics.Process { StartInfo = start };
        var espwire = new EspwireProcess(process);
        process.OutputDataReceived += (_, e) => espwire.Collect(e.Data, espwire._out, espwire._outClosed);
        process.ErrorDataReceived += (_, e) => espwire.Collect(e.Data, espwire._err, espwire._errClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return espwire;
    }

    /// <summary>espwire.dll from src/Espwire.Cli's build output (the same configuration and framework as this test
    /// assembly); the copy the project reference puts next to the test assembly when that tree is not there.</summary>
    public static string EspwireDll()
    {
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
        if (File.Exists(copied)) return copied;
        throw new FileNotFoundException($"espwire.dll is neither in src/Espwire.Cli/bin/{configuration}/{framework} nor next to the tests; build src/Espwire.Cli first.");
    }

    internal static string DotnetHost()
    {
        // The SDK tells test hosts which dotnet runs them; otherwise this process is itself run by dotnet.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    private void Collect(string? line, List<string> into, TaskCompletionSource closed)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is null) closed.TrySetResult();
            else into.Add(line);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Waits until <paramref name="count"/> lines printed (on stdout, or stderr) match; fails with everything
    /// printed when the process ends first or the ceiling passes. Scans each line once: serve may print thousands.</summary>
    public async Task WaitForLinesAsync(Func<string, bool> match, int count, string what, bool stderr = false)
    {
        using var ceiling = new CancellationTokenSource(Patience);
        var lines = stderr ? _err : _out;
        var scanned = 0;
        var found = 0;
        while (true)
        {
            Task changed;
            bool ended;
            lock (_gate)
            {
                for (; scanned < lines.Count && found < count; scanned++)
                    if (match(lines[scanned])) found++;
                changed = _changed.Task;
                ended = (stderr ? _errClosed : _outClosed).Task.IsCompleted;
            }
            if (found >= count) return;
            if (ended) throw new Xunit.Sdk.XunitException($"espwire ended before {what}.\n{Transcript()}");
            try
            {
                await changed.WaitAsync(ceiling.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"espwire did not get to {what} within {Patience.TotalSeconds} s.\n{Transcript()}");
            }
        }
    }

    /// <summary>The TCP and UDP endpoints serve reports it bound ("Listening '127.0.0.1:40123'" and "... (UDP)"),
    /// once the blank line after them says it is ready.</summary>
    public async Task<(IPEndPoint[] Tcp, IPEndPoint[] Udp)> WaitUntilListeningAsync()
    {
        await WaitForLinesAsync(line => line.Length == 0, 1, "printing its listening addresses");
        var lines = Output;
        var tcp = new List<IPEndPoint>();
        var udp = new List<IPEndPoint>();
        foreach (var line in lines.TakeWhile(l => l.Length > 0))
        {
            var match = ListeningLine().Match(line);
            Assert.True(match.Success, $"Not a listening line: '{line}'");
            var endpoint = IPEndPoint.Parse(match.Groups["endpoint"].Value);
            Assert.NotEqual(0, endpoint.Port);
            (match.Groups["udp"].Success ? udp : tcp).Add(endpoint);
        }
        return ([.. tcp], [.. udp]);
    }

    /// <summary>Writes <paramref name="text"/> to espwire's stdin and closes it, as <c>printf ... | espwire</c> does.</summary>
    public async Task PipeInputAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        _process.StandardInput.Close();
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("kill", ["-s", signal, Id.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The exit code, once the process has ended and its output is read to the end.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var ceiling = new CancellationTokenSource(Patience);
        try
        {
            await _process.WaitForExitAsync(ceiling.Token);
            await Task.WhenAll(_outClosed.Task, _errClosed.Task).WaitAsync(ceiling.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"espwire did not exit within {Patience.TotalSeconds} s.\n{Transcript()}");
        }
        return _process.ExitCode;
    }

    /// <summary>What the process printed, for failure messages: stderr whole, stdout's first and last lines.</summary>
    public string Transcript()
    {
        var output = Output;
        var shown = output.Count <= 60 ? output : [.. output.Take(20), $"... ({output.Count - 40} lines) ...", .. output.TakeLast(20)];
        return $"--- stdout ---\n{string.Join('\n', shown)}\n--- stderr ---\n{string.Join('\n', Error)}";
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
        _process.Dispose();
    }

    [GeneratedRegex(@"^Listening '(?<endpoint>[^']+)'(?<udp> \(UDP\))?$")]
    private static partial Regex ListeningLine();
}
