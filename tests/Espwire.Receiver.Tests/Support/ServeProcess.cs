using System.Net;
using Espwire.Testing;

namespace Espwire.Receiver.Tests.Support;

/// <summary><c>espwire serve</c> as a real child process (the shared <see cref="ChildProcess"/>), for what only a
/// process shows: SIGKILL mid-stream or mid-forwarding, exit codes, what it prints at start. It binds port 0; the
/// endpoints it printed ("Listening '127.0.0.1:PORT'") are read back.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private ServeProcess(ChildProcess process) => Process = process;

    public ChildProcess Process { get; }

    public IPEndPoint? Tcp { get; private set; }

    public IPEndPoint? Udp { get; private set; }

    public string Stderr => Process.StderrText;

    public string Stdout => string.Join('\n', Process.Output);

    /// <summary>Starts serve; waits for its "Listening" lines unless <paramref name="expectListening"/> is false.</summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments, bool expectListening = true)
    {
        var serve = new ServeProcess(ChildProcess.Espwire(["serve", .. arguments], env: null));
        if (!expectListening) return serve;
        try
        {
            var (tcp, udp) = await serve.Process.WaitUntilListeningAsync();
            serve.Tcp = tcp.FirstOrDefault();
            serve.Udp = udp.FirstOrDefault();
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no drain, no cursor save, no goodbye; what a power cut or the OOM killer does to it.</summary>
    public Task KillAsync() => Process.KillAsync();

    /// <summary>SIGTERM (the clean stop) and wait for the exit code.</summary>
    public Task<int> StopAsync() => Process.StopAsync(Signal.Terminate);

    public Task<int> WaitForExitAsync() => Process.WaitForExitAsync();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
