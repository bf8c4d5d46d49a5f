using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Mqtt;

/// <summary><c>espwire serve</c> as a real child process (the built Espwire.Cli), for what only a process shows:
/// SIGKILL in the middle of forwarding, exit codes and what it prints at start.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public string Error
    {
        get { lock (_error) return _error.ToString(); }
    }

    public static string CliPath => typeof(ServeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "EspwireCli").Value!;

    public static ServeProcess Start(params string[] arguments)
    {
        if (!File.Exists(CliPath)) throw new InvalidOperationException($"espwire is not built at {CliPath}: dotnet build src/Espwire.Cli -c Release");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliPath);
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("espwire did not start");
        var serve = new ServeProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (serve._output) serve._output.AppendLine(line);
            // "Listening '127.0.0.1:PORT'": the TCP endpoint it bound (port 0 asked).
            if (line.StartsWith("Listening '", StringComparison.Ordinal) && !line.EndsWith("(UDP)", StringComparison.Ordinal)
                && IPEndPoint.TryParse(line["Listening '".Length..].TrimEnd('\''), out var endpoint))
                serve._listening.TrySetResult(endpoint);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (serve._error) serve._error.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => serve._listening.TrySetException(
            new InvalidOperationException($"espwire serve exited ({process.ExitCode}) before listening: {serve.Error}")), TaskScheduler.Default);
        return serve;
    }

    /// <summary>The TCP endpoint, once it prints that it listens.</summary>
    public Task<IPEndPoint> ListeningAsync() => _listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public async Task<int> WaitForExitAsync(TimeSpan ceiling)
    {
        await _process.WaitForExitAsync().WaitAsync(ceiling);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no drain, no cursor save, no goodbye; what a power cut or the OOM killer does to it.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TestReceiver.Patience);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TestReceiver.Patience);
        }
        _process.Dispose();
    }
}
