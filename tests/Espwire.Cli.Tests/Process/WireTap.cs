using Espwire.Testing;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Espwire.Cli.Tests.ServeProcess;

/// <summary>
/// A loopback relay between espwire and the emulated module that keeps every byte espwire sent, so a test can say
/// exactly what the module received. Connections are relayed one after another (one run of espwire each); when
/// the module side closes (the emulator stopped) the espwire side is closed too, as a pulled cable would.
/// </summary>
internal sealed class WireTap : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _module;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<byte> _sent = [];
    private readonly Task _accepting;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WireTap(IPEndPoint module)
    {
        _module = module;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port string espwire opens: <c>socket://127.0.0.1:PORT</c>.</summary>
    public string PortString => $"socket://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Every byte espwire sent so far (all connections), as text.</summary>
    public string Sent
    {
        get { lock (_sent) return Encoding.UTF8.GetString([.. _sent]); }
    }

    /// <summary>Waits until what espwire sent contains <paramref name="text"/>.</summary>
    public async Task WaitForSentAsync(string text)
    {
        using var ceiling = new CancellationTokenSource(TestTimeouts.Patience);
        while (true)
        {
            Task changed;
            lock (_sent)
            {
                if (Encoding.UTF8.GetString([.. _sent]).Contains(text, StringComparison.Ordinal)) return;
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(ceiling.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"The module never received '{text}'. It received: '{Sent}'");
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var espwire = await _listener.AcceptTcpClientAsync(_stop.Token);
                using var module = new TcpClient();
                await module.ConnectAsync(_module, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(espwire.GetStream(), module.GetStream(), record: true, done.Token);
                var down = PumpAsync(module.GetStream(), espwire.GetStream(), record: false, done.Token);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
                await Task.WhenAll(up, down);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped (the listener too), or the module is gone.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool record, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, ct);
                if (n == 0) return;
                if (record)
                {
                    TaskCompletionSource changed;
                    lock (_sent)
                    {
                        _sent.AddRange(buffer.AsSpan(0, n));
                        changed = _changed;
                        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    changed.TrySetResult();
                }
                await to.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // This connection is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
