using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Espwire.Receiver.Tests.Support;

/// <summary><c>espwire serve</c> as a real child process (the built Espwire.Cli next to this test project's build),
/// with the endpoints it prints at start ("Listening '127.0.0.1:PORT'") read back, so it can bind port 0.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly System.Text.StringBuilder _stdout = new();
    private readonly Lock _gate = new();

    private ServeProcess(Process process) => _process = process;

    public IPEndPoint? Tcp { get; private set; }

    public IPEndPoint? Udp { get; private set; }

    public string Stderr
    {
        get { lock (_gate) return _stderr.ToString(); }
    }

    public string Stdout
    {
        get { lock (_gate) return _stdout.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The built CLI: src/Espwire.Cli/bin/CONFIG/TFM/espwire.dll, found from this assembly's own output folder.</summary>
    public static string CliPath
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = here.Name;
            var config = here.Parent!.Name;
            var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName; // tests/X/bin/CONFIG/TFM -> repo
            var path = Path.Combine(root, "src", "Espwire.Cli", "bin", config, tfm, "espwire.dll");
            if (!File.Exists(path)) throw new FileNotFoundException($"espwire CLI not built at {path}; build src/Espwire.Cli -c {config}.", path);
            return path;
        }
    }

    /// <summary>Starts serve; waits for its "Listening" lines unless <paramref name="expectListening"/> is false.</summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments, bool expectListening = true)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliPath);
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var serve = new ServeProcess(process);
        process.OutputDataReceived += (_, e) => serve.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (serve._gate) serve._stderr.AppendLine(e.Data);
        };
        process.Exited += (_, _) => serve._listening.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (expectListening)
        {
            await serve._listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
            if (serve.Tcp is null && serve.Udp is null)
                throw new InvalidOperationException($"espwire serve did not start (exit {(process.HasExited ? process.ExitCode : -1)}): {serve.Stderr}");
        }
        return serve;
    }

    private void OnStdout(string? line)
    {
        if (line is null) return;
        lock (_gate) _stdout.AppendLine(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            var endpoint = IPEndPoint.Parse(match.Groups[1].Value);
            if (match.Groups[2].Success) Udp = endpoint;
            else Tcp = endpoint;
        }
        // The blank line after the Listening lines ends the list.
        if (line.Length == 0 && (Tcp is not null || Udp is not null)) _listening.TrySetResult();
    }

    [GeneratedRegex(@"^Listening '([^']+)'( \(UDP\))?$")]
    private static partial Regex ListeningLine();

    /// <summary>SIGKILL: no cleanup, no drain, as a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGTERM (the clean stop) and wait for the exit.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited) _ = SignalTerm(_process.Id, 15);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SignalTerm(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }
}
