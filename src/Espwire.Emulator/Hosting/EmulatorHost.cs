using System.Net;
using System.Net.Sockets;
using Espwire.Ports.Pty;

namespace Espwire.Emulator.Hosting;

/// <summary>
/// Runs N virtual modules and serves each on its own TCP port (socket://) and/or pseudo-terminal.
/// <code>
/// await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions { Listen = new(IPAddress.Loopback, 0) });
/// var port = host.Modules[0].PortString;   // socket://127.0.0.1:40123
/// </code>
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    /// <summary>Most modules one host serves; each is a few tasks and sockets.</summary>
    public const int MaxModules = 256;

    private readonly CancellationTokenSource _cts = new();
    private readonly List<Task> _tasks = [];
    private readonly List<TcpListener> _listeners = [];
    private readonly List<PseudoTerminal> _ptys = [];
    private readonly List<HostedModule> _modules = [];
    private readonly EmulatorHostOptions _options;

    private EmulatorHost(EmulatorHostOptions options) => _options = options;

    public IReadOnlyList<HostedModule> Modules => _modules;

    public static Task<EmulatorHost> StartAsync(EmulatorHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count is < 1 or > MaxModules)
            throw new ArgumentOutOfRangeException(nameof(options), options.Count, $"Count must be 1..{MaxModules}.");
        if (options.Listen is not null && options.Listen.Port != 0 && options.Listen.Port + options.Count - 1 > 65535)
            throw new ArgumentOutOfRangeException(nameof(options), $"Ports {options.Listen.Port}..{options.Listen.Port + options.Count - 1} go past 65535.");
        cancellationToken.ThrowIfCancellationRequested();
        var host = new EmulatorHost(options);
        try
        {
            host.Start();
        }
        catch
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return Task.FromResult(host);
    }

    private void Start()
    {
        for (var i = 0; i < _options.Count; i++)
        {
            var moduleOptions = _options.Module with
            {
                Index = _options.Module.Index + i,
                StateFile = StateFileFor(_options.Module.StateFile, i, _options.Count),
                // A flash chip per module: the bootloader's flash belongs to its options instance.
                Bootloader = _options.Module.Bootloader with
                {
                    FlashFile = StateFileFor(_options.Module.Bootloader.FlashFile, i, _options.Count),
                    Mac = VirtualModule.MacForIndex(_options.Module.Bootloader.Mac, i),
                },
                Sketch = _options.Module.Sketch.DeviceId is { } id && _options.Count > 1
                    ? _options.Module.Sketch with { DeviceId = id + "-" + i }
                    : _options.Module.Sketch,
            };
            if (_options.PerModule is { } adjust) moduleOptions = adjust(i, moduleOptions);
            var hosted = new HostedModule(new VirtualModule(moduleOptions));
            _modules.Add(hosted);
            if (_options.Listen is not null)
            {
                var port = _options.Listen.Port == 0 ? 0 : _options.Listen.Port + i;
                var listener = new TcpListener(_options.Listen.Address, port);
                try
                {
                    listener.Start(_options.Backlog);
                }
                catch (SocketException e)
                {
                    throw new IOException($"Cannot listen on {_options.Listen.Address}:{port} ({e.SocketErrorCode}). Pick another --listen port or stop what uses it.", e);
                }
                _listeners.Add(listener);
                hosted.Endpoint = (IPEndPoint)listener.LocalEndpoint;
                _tasks.Add(AcceptLoopAsync(listener, hosted.Module));
            }
            if (_options.Pty)
            {
                var pty = PseudoTerminal.Open();
                _ptys.Add(pty);
                hosted.PtyPath = pty.SlavePath;
                _tasks.Add(hosted.Module.AttachAsync(pty.Stream, _cts.Token));
            }
            hosted.Module.Start();
        }
    }

    private static string? StateFileFor(string? path, int index, int count)
    {
        if (path is null || count == 1) return path;
        var ext = Path.GetExtension(path);
        return Path.ChangeExtension(path, null) + "-" + index + ext;
    }

    private async Task AcceptLoopAsync(TcpListener listener, VirtualModule module)
    {
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            socket.NoDelay = true;
            _ = ServeAsync(socket, module, ct);
        }
    }

    private async Task ServeAsync(Socket socket, VirtualModule module, CancellationToken ct)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                if (_options.ConnectionHandler is { } handler) await handler(module, stream, ct).ConfigureAwait(false);
                else await module.AttachAsync(stream, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // One host going away must never stop the module or the listener.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cts.IsCancellationRequested) return;
        await _cts.CancelAsync().ConfigureAwait(false);
        foreach (var l in _listeners) l.Stop();
        foreach (var m in _modules) await m.Module.DisposeAsync().ConfigureAwait(false);
        foreach (var p in _ptys) p.Dispose();
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException or ObjectDisposedException)
        {
        }
        _cts.Dispose();
    }
}
