using System.Diagnostics;
using System.Text;

namespace Espwire.Firmware.Tests.Support;

/// <summary>A child process whose output lines are collected as they come, so a test can wait for one.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process)
    {
        _process = process;
        // Stdout raw, byte for byte (serial output has CR LF and bare LF that line readers would fold);
        // stderr by line.
        _stdout = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            var chars = new char[4096];
            var decoder = Encoding.UTF8.GetDecoder();  // stateful: a character split across reads stays whole
            int n;
            while ((n = await _process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
            {
                var c = decoder.GetChars(buffer, 0, n, chars, 0);
                lock (_output) _output.Append(chars, 0, c);
            }
        });
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
    }

    private readonly Task _stdout;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string file, IEnumerable<string> args, IEnumerable<(string Key, string Value)>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? []) psi.Environment[k] = v;
        return new ChildProcess(Process.Start(psi)!);
    }

    /// <summary>`dotnet espwire.dll ARGS`: the CLI as a user runs it.</summary>
    public static ChildProcess Espwire(params string[] args)
        => Start("dotnet", new[] { Repo.CliDll }.Concat(args), [("DOTNET_CLI_TELEMETRY_OPTOUT", "1")]);

    public int Count(string text)
    {
        var all = Output;
        var n = 0;
        for (var i = all.IndexOf(text, StringComparison.Ordinal); i >= 0; i = all.IndexOf(text, i + text.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    public Task WaitForAsync(string text, int times = 1, TimeSpan? ceiling = null)
        => Wait.UntilAsync(() => Count(text) >= times || (_process.HasExited && ExitedWithout(text, times)), $"'{text}' x{times}", ceiling, () => Output);

    private bool ExitedWithout(string text, int times)
    {
        _process.WaitForExit();
        _stdout.Wait(Wait.Ceiling);  // the last output is in once this returns
        if (Count(text) >= times) return true;
        throw new InvalidOperationException($"process exited ({_process.ExitCode}) before printing '{text}' x{times}:\n{Output}");
    }

    /// <summary>SIGKILL: no clean-up, no last words.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Ctrl+C, as a user stops the CLI.</summary>
    public async Task<int> InterruptAsync()
    {
        if (!_process.HasExited) _ = FirmwareBuild.Run("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await _process.WaitForExitAsync().WaitAsync(Wait.Ceiling);
        return _process.ExitCode;
    }

    public async Task<int> ExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Wait.Ceiling);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Append(line).Append('\n');
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
