using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Espwire.Testing;
using MQTTnet;

namespace Espwire.Receiver.Tests.Support;

/// <summary>A real MQTT broker for one test: Debian's mosquitto on 127.0.0.1 with a generated config (persistence on,
/// in its own temporary directory; optionally a password file and no anonymous access), stopped and its directory
/// removed on dispose. scripts/test.sh installs it.</summary>
/// <remarks>Mosquitto cannot listen on port 0 and tell which port it got, so the test holds a port for the broker's
/// whole life (<see cref="HeldPort"/>: bound, never listening) and mosquitto listens on it beside that socket
/// (it sets SO_REUSEADDR). No other test is given the port meanwhile, not even while the broker is stopped for an
/// outage, so <see cref="RestartAsync"/> gets it back. Should mosquitto still fail to bind ("Address already in
/// use"), which is seen from its exit before it ever answers, the start is retried on another held port.</remarks>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private const int PortAttempts = 8;
    private readonly string _dir;
    private readonly string _config;
    private readonly StringBuilder _log = new();
    private readonly HeldPort _port;
    private Process? _process;

    private MosquittoBroker(string dir, string config, HeldPort port)
    {
        _dir = dir;
        _config = config;
        _port = port;
    }

    public int Port => _port.Port;

    /// <summary>The CA (PEM) that signed a TLS broker's certificate; null without TLS.</summary>
    public string? CaFile { get; private init; }

    public bool Running => _process is { HasExited: false };

    /// <summary>What mosquitto printed (its log goes to stderr), for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>Starts mosquitto and returns once an MQTT client can connect to it. With <paramref name="user"/>, only
    /// that user with <paramref name="password"/> may connect (a password file made by mosquitto_passwd -b).
    /// With <paramref name="tls"/> the listener is TLS only, with a server certificate for 127.0.0.1 signed by a CA
    /// made for this broker (<see cref="CaFile"/>, by openssl).</summary>
    public static async Task<MosquittoBroker> StartAsync(string? user = null, string? password = null, bool tls = false)
    {
        var dir = Directory.CreateTempSubdirectory("espwire-mosquitto-").FullName;
        var certificates = tls ? await MakeCertificatesAsync(dir) : "";
        var security = "allow_anonymous true\n";
        if (user is not null)
        {
            var passwords = Path.Combine(dir, "passwords");
            await RunAsync("mosquitto_passwd", "-c", "-b", passwords, user, password ?? "");
            security = $"allow_anonymous false\npassword_file {passwords}\n";
        }
        Exception? last = null;
        for (var attempt = 0; attempt < PortAttempts; attempt++)
        {
            var held = HeldPort.Tcp();
            var port = held.Port;
            var config = Path.Combine(dir, "mosquitto.conf");
            // persistence: queued messages and sessions survive a SIGTERM and restart; no queue limits, so nothing a
            // persistent subscriber misses while away is dropped by the broker itself.
            await File.WriteAllTextAsync(config,
                $"listener {port} 127.0.0.1\n{certificates}{security}persistence true\npersistence_location {dir}/\n" +
                $"max_queued_messages 0\nmax_queued_bytes 0\nuser {Environment.UserName}\nlog_dest stderr\n");
            var broker = new MosquittoBroker(dir, config, held) { CaFile = tls ? Path.Combine(dir, "ca.pem") : null };
            try
            {
                await broker.LaunchAsync();
                return broker;
            }
            catch (PortTakenException e)
            {
                last = e; // mosquitto could not bind beside the held socket after all: another port
                held.Dispose();
            }
            catch
            {
                await broker.DisposeAsync();
                throw;
            }
        }
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        throw new InvalidOperationException($"mosquitto found no free port in {PortAttempts} attempts", last);
    }

    /// <summary>A CA and a server certificate for 127.0.0.1 (EC P-256, two days), and the listener lines that use them.</summary>
    private static async Task<string> MakeCertificatesAsync(string dir)
    {
        string In(string name) => Path.Combine(dir, name);
        const string curve = "ec_paramgen_curve:prime256v1";
        await RunAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", In("ca.key"),
            "-out", In("ca.pem"), "-days", "2", "-subj", "/CN=Espwire test CA");
        await RunAsync("openssl", "req", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", In("server.key"),
            "-out", In("server.csr"), "-subj", "/CN=127.0.0.1");
        await File.WriteAllTextAsync(In("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        await RunAsync("openssl", "x509", "-req", "-in", In("server.csr"), "-CA", In("ca.pem"), "-CAkey", In("ca.key"),
            "-CAcreateserial", "-out", In("server.pem"), "-days", "2", "-extfile", In("server.ext"));
        return $"cafile {In("ca.pem")}\ncertfile {In("server.pem")}\nkeyfile {In("server.key")}\n";
    }

    private sealed class PortTakenException(string message) : Exception(message);

    private async Task LaunchAsync()
    {
        var binary = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: run scripts/test.sh (it installs it) or apt-get install mosquitto.");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await AwaitReadyAsync();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>SIGTERM, as an init system stops it: mosquitto saves its persistence file and exits.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process) return;
        if (kill(process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        await process.WaitForExitAsync().WaitAsync(TestReceiver.Patience);
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts it again on the same port and persistence directory (after <see cref="StopAsync"/>).</summary>
    public async Task RestartAsync()
    {
        if (Running) throw new InvalidOperationException("the broker is still running");
        // The port stayed held while the broker was away, so it is still free for mosquitto.
        await LaunchAsync();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>A connected MQTT 3.1.1 client of this broker (clean session).</summary>
    public async Task<IMqttClient> ConnectClientAsync(string clientId, string? user = null, string? password = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (user is not null) builder.WithCredentials(user, password);
        try
        {
            await client.ConnectAsync(builder.Build()).WaitAsync(TestReceiver.Patience);
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
        // The broker binds its port some milliseconds after the process starts: probe with raw TCP connects until it
        // accepts (credentials do not matter for that), or until mosquitto exits, which says why.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                await _process.WaitForExitAsync();
                var log = Log;
                if (log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)) throw new PortTakenException(log);
                throw new InvalidOperationException($"mosquitto exited with code {_process.ExitCode} before listening on 127.0.0.1:{Port}: {log}");
            }
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port)).WaitAsync(TimeSpan.FromSeconds(5));
                return;
            }
            catch (Exception e) when (e is SocketException or TimeoutException && deadline.Elapsed < TestReceiver.Patience)
            {
                // Not listening yet: wait on mosquitto's exit for a moment (its failure is the other way out).
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMilliseconds(20)).ContinueWith(_ => { });
            }
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TestReceiver.Patience);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await error}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill();
                await process.WaitForExitAsync().WaitAsync(TestReceiver.Patience);
            }
        }
        finally
        {
            _process?.Dispose();
            _port.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }
}
