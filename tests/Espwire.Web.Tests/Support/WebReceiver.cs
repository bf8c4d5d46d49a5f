using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Emulator;
using Espwire.Emulator.Sketch;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Server;

namespace Espwire.Web.Tests.Support;

/// <summary>A receiver with its live page on 127.0.0.1 port 0, a temporary database, and ways to feed it: emulated
/// ESP-12F modules running the seed's sketch, or lines written to a loopback socket.</summary>
internal sealed class WebReceiver : IAsyncDisposable
{
    public static readonly TimeSpan Patience = Espwire.Testing.TestTimeouts.Patience;
    private readonly string _dir;
    private readonly List<VirtualModule> _modules = [];
    private readonly List<Socket> _sockets = [];

    private WebReceiver(ReceiverHost host, string dir)
    {
        Host = host;
        _dir = dir;
    }

    public ReceiverHost Host { get; }

    public string Url => $"http://{Host.HttpEndpoints[0]}/";

    public static async Task<WebReceiver> StartAsync(string? token = null)
    {
        var dir = Directory.CreateTempSubdirectory("espwire-web-test-").FullName;
        var host = new ReceiverHost(new ReceiverOptions
        {
            Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
            Udp = [],
            Http = [new IPEndPoint(IPAddress.Loopback, 0)],
            HttpToken = token,
            DatabasePath = Path.Combine(dir, "espwire.db"),
        });
        await host.StartAsync().WaitAsync(Patience);
        return new WebReceiver(host, dir);
    }

    /// <summary>Emulated modules as <c>espwire demo</c> runs them: module 1 the seed's counter, the others radars.</summary>
    public void StartModules(int count, TimeSpan interval)
    {
        const double timeScale = 0.02; // the emulated Wi-Fi scan and join take a fiftieth of their real time
        for (var i = 0; i < count; i++)
        {
            var counter = i == 0;
            var module = new VirtualModule(new ModuleOptions
            {
                Mode = BootMode.Sketch,
                Index = i,
                TimeScale = timeScale,
                Sketch = new SketchOptions
                {
                    ServerHost = "127.0.0.1",
                    ServerPort = Host.TcpEndpoints[0].Port,
                    Interval = interval / timeScale,
                    Shape = counter ? ValueShape.Counter : ValueShape.Radar,
                    DeviceId = counter ? null : $"radar-{i}",
                },
            });
            module.Start();
            _modules.Add(module);
        }
    }

    /// <summary>A persistent connection that names itself, for lines sent exactly when a test wants them.</summary>
    public async Task<Func<string, Task>> ConnectAsync(string device)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(socket);
        await socket.ConnectAsync(Host.TcpEndpoints[0]).WaitAsync(Patience);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"@id {device}\n"));
        return async line => await socket.SendAsync(Encoding.UTF8.GetBytes(line + "\n"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var module in _modules) await module.DisposeAsync();
        foreach (var socket in _sockets) socket.Dispose();
        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
