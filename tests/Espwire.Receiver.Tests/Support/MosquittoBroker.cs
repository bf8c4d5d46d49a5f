using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet;

namespace Espwire.Receiver.Tests.Support;

/// <summary>A real MQTT broker for one test: Debian's mosquitto on 127.0.0.1 and a free port, with a generated minimal
/// config (anonymous, no persistence), stopped and its directory removed on dispose. scripts/test.sh installs it.</summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private MosquittoBroker(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts mosquitto and returns once an MQTT client can connect to it (retrying until a deadline).</summary>
    public static async Task<MosquittoBroker> StartAsync()
    {
        var binary = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: run scripts/test.sh (it installs it) or apt-get install mosquitto.");
        var dir = Directory.CreateTempSubdirectory("espwire-mosquitto-").FullName;
        var port = FreePort();
        var config = Path.Combine(dir, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new MosquittoBroker(process, dir, port);
        try
        {
            await broker.AwaitReadyAsync();
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
        return broker;
    }

    /// <summary>A connected MQTT 3.1.1 client of this broker.</summary>
    public async Task<IMqttClient> ConnectClientAsync(string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
        try
        {
            await client.ConnectAsync(options).WaitAsync(TestReceiver.Patience);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    private async Task AwaitReadyAsync()
    {
        // The broker binds its port some milliseconds after the process starts: retry connecting until a deadline.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"mosquitto exited with code {_process.ExitCode} before listening on 127.0.0.1:{Port}");
            try
            {
                using var probe = await ConnectClientAsync("espwire-test-probe");
                await probe.DisconnectAsync();
                return;
            }
            catch (Exception e) when (e is not InvalidOperationException && deadline.Elapsed < TestReceiver.Patience)
            {
                // Not listening yet; the next attempt waits on the connect itself, not on a sleep.
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TestReceiver.Patience);
            }
        }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }
}
