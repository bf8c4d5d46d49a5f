using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Espwire.Cli.Demo;
using Espwire.Cli.Emulate;
using Espwire.Cli.Receiver;
using Espwire.Emulator;
using Espwire.Emulator.Sketch;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;
using Spectre.Console;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire demo</c>: the whole seed on one laptop, no hardware: a receiver and emulated ESP-12F modules
/// running the seed's sketch, all on loopback.</summary>
internal static class DemoCommand
{
    private const int PortsToTry = 20;

    public static Command Create()
    {
        var count = new Option<int>("--count", "-n") { Description = "How many emulated modules (1..64). Module 1 sends the seed's counter; the others radar-like readings.", DefaultValueFactory = _ => 3 };
        var port = new Option<int>("--port") { Description = "Receiver port on 127.0.0.1 (the seed's 12345); if it is taken the next free one is used.", DefaultValueFactory = _ => ReceiverOptions.DefaultPort };
        var interval = new Option<double>("--interval") { Description = "Seconds between a module's readings (the seed's delay(1000)), in the modules' time: --time-scale shrinks it, as in emulate.", DefaultValueFactory = _ => 1.0 };
        var timeScale = new Option<double>("--time-scale") { Description = "Speed of the modules' simulated time (Wi-Fi scan, join, reading interval): 1 real time, 0.1 ten times faster.", DefaultValueFactory = _ => 1.0 };
        var restartAfter = new Option<double?>("--restart-receiver-after") { Description = "Stop the receiver after this many seconds and start it again --receiver-away seconds later: the seed module loses what it sent meanwhile, the espwire modules resend it.", HelpName = "SECONDS" };
        var away = new Option<double>("--receiver-away") { Description = "Seconds the receiver stays away with --restart-receiver-after.", DefaultValueFactory = _ => 3.0, HelpName = "SECONDS" };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: run until Ctrl+C).", HelpName = "SECONDS" };
        var readings = new Option<int?>("--readings") { Description = "Stop once this many readings are stored (default: run until Ctrl+C).", HelpName = "N" };
        var db = new Option<string?>("--db") { Description = "Keep the readings in this SQLite file (default: a temporary database, removed at exit).", HelpName = "PATH" };
        var serial = new Option<bool>("--serial") { Description = "Also print the modules' serial output (Wi-Fi scan, joining) as the Arduino serial monitor shows it." };
        var http = new Option<string?>("--http") { Description = "Serve the live page here (default 127.0.0.1:8080, or the next free port).", HelpName = "ADDR:PORT" };
        var noHttp = new Option<bool>("--no-http") { Description = "Do not serve the live page." };

        var command = new Command("demo",
            "Run the seed's whole system on this machine, no hardware needed: a receiver on 127.0.0.1:12345 and emulated\n" +
            "ESP-12F modules: module 1 runs the seed's sketch (a TCP connection per reading, nothing kept), the others the\n" +
            "seed's sketch with the Espwire library (radar-1, ...: one connection, every reading kept until acknowledged).\n" +
            "The console shows readings as the seed's laptop server printed them. Ctrl+C stops everything cleanly.\n\n" +
            "Examples:\n" +
            "  espwire demo                               3 modules until Ctrl+C\n" +
            "  espwire demo --count 10 --interval 0.2     more modules, faster\n" +
            "  espwire demo --db demo.db --readings 30    keep 30 readings, then: espwire readings --db demo.db\n" +
            "  espwire demo --duration 15 --restart-receiver-after 5   what a receiver restart costs each sketch\n" +
            "  espwire demo --no-http                     without the live page (it is on http://127.0.0.1:8080/ by default)")
        {
            count, port, interval, timeScale, duration, readings, db, serial, restartAfter, away, http, noHttp,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var settings = new DemoSettings(parse.GetValue(count), parse.GetValue(port), parse.GetValue(interval), parse.GetValue(timeScale),
                parse.GetValue(duration), parse.GetValue(readings), parse.GetValue(db), parse.GetValue(serial))
            {
                RestartReceiverAfter = parse.GetValue(restartAfter),
                ReceiverAway = parse.GetValue(away),
            };
            settings.Validate();
            settings = settings with { Http = DemoHttp(parse.GetValue(http), parse.GetValue(noHttp)) };
            return RunAsync(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct);
        });
        return command;
    }

    /// <summary>The live page's endpoint for the demo: loopback 8080 unless told, none with --no-http.</summary>
    private static IPEndPoint? DemoHttp(string? http, bool noHttp)
    {
        if (noHttp && http is not null) throw new UsageException("--http and --no-http contradict each other; give one of them.");
        if (noHttp) return null;
        var endpoint = http is null ? new IPEndPoint(IPAddress.Loopback, DefaultHttpPort) : HttpEndpoint.Parse(http);
        if (!IPAddress.IsLoopback(endpoint.Address))
            throw new UsageException($"--http {endpoint}: the demo serves its page on loopback only; use espwire serve --http ... --http-token TOKEN for the network.");
        return endpoint;
    }

    private const int DefaultHttpPort = 8080;

    internal sealed record DemoSettings(int Count, int Port, double Interval, double TimeScale, double? Duration, int? Readings, string? Db, bool Serial)
    {
        public double? RestartReceiverAfter { get; init; }

        public double ReceiverAway { get; init; } = 3.0;

        /// <summary>The live page's endpoint, null for none (--no-http).</summary>
        public IPEndPoint? Http { get; init; }

        public void Validate()
        {
            if (RestartReceiverAfter is <= 0 || (RestartReceiverAfter is { } r && double.IsNaN(r))) throw new UsageException("--restart-receiver-after must be a positive number of seconds, e.g. 5.");
            if (ReceiverAway is < 0 or > 3600 || double.IsNaN(ReceiverAway)) throw new UsageException("--receiver-away must be seconds between 0 and 3600, e.g. 3.");
            if (Count is < 1 or > 64) throw new UsageException("--count must be 1..64.");
            if (Port is < 0 or > 65535) throw new UsageException("--port must be a TCP port (0 picks a free one).");
            if (Interval is <= 0 or > 3600 || double.IsNaN(Interval)) throw new UsageException("--interval must be seconds between 0 and 3600, e.g. --interval 0.5.");
            if (TimeScale is <= 0 or > 100 || double.IsNaN(TimeScale)) throw new UsageException("--time-scale must be above 0 and at most 100 (1 = real time, 0.1 ten times faster).");
            if (Duration is <= 0 || (Duration is { } d && double.IsNaN(d))) throw new UsageException("--duration must be a positive number of seconds.");
            if (Readings is < 1) throw new UsageException("--readings must be at least 1.");
        }
    }

    private static async Task<int> RunAsync(DemoSettings s, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var temp = s.Db is null ? Directory.CreateTempSubdirectory("espwire-demo-") : null;
        var dbPath = s.Db ?? Path.Combine(temp!.FullName, "espwire.db");
        try
        {
            await using var console = new ReceiverConsole(output, error, LogFormat.Text, quiet: false);
            var host = await StartReceiverAsync(s.Port, s.Http, dbPath, ct).ConfigureAwait(false);
            if (host is null)
            {
                await error.WriteLineAsync($"espwire demo: no free TCP port on 127.0.0.1 from {s.Port} to {s.Port + PortsToTry - 1}. " +
                    "Stop what is using them, or pick another with --port N (0 takes any free port).").ConfigureAwait(false);
                return ExitCodes.DeviceError;
            }
            var perDevice = new Dictionary<string, (long Count, string Last)>(StringComparer.Ordinal);
            var stopAfterReadings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            long stored = 0;
            void Count(Reading reading)
            {
                lock (perDevice)
                {
                    perDevice[reading.Device] = (perDevice.GetValueOrDefault(reading.Device).Count + 1, reading.Raw);
                }
                if (s.Readings is { } limit && Interlocked.Increment(ref stored) >= limit) stopAfterReadings.TrySetResult();
            }
            // A failed store ends the demo, whichever receiver (before or after a restart) it happens in.
            var storeFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Watch(ReceiverHost h) => _ = h.Completion.ContinueWith(
                t => { if (t.IsFaulted) storeFailed.TrySetException(t.Exception!.GetBaseException()); }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            host.ReadingStored += Count;
            Watch(host);
            console.Attach(host);
            // The page's address first: it is what most people want from the demo.
            if (host.HttpEndpoints.Count > 0)
                console.Info($"Live page: http://{host.HttpEndpoints[0]}/ (open it in a browser; --no-http turns it off)");
            console.Listening(host);
            var bound = host.TcpEndpoints[0];
            console.Info($"Starting {s.Count} emulated ESP-12F module{(s.Count == 1 ? "" : "s")}: module 1 runs the seed's sketch" +
                (s.Count > 1 ? ", the others the seed's sketch with the Espwire library" : "") +
                $" (join 'iptime', then a reading every {s.Interval.ToString(CultureInfo.InvariantCulture)} s of module time to {ServerText(bound)}). Ctrl+C stops.");
            console.Info("");

            var (serverHost, serverPort) = ServerFor(bound);
            var progress = new SketchProgressPrinter(console.Info);
            Action<string, string>? serialEcho = s.Serial ? (name, line) => console.Info($"[{name} serial] {line}") : null;
            var fleet = DemoFleet.Start(s.Count, serverHost, serverPort, s.Interval, s.TimeScale, progress, serialEcho);
            var exitCode = ExitCodes.Ok;
            var restarted = false;
            using var stopRestart = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                var waits = new List<Task> { Task.Delay(Timeout.Infinite, ct), storeFailed.Task };
                if (s.Duration is { } seconds) waits.Add(Task.Delay(TimeSpan.FromSeconds(seconds), ct));
                if (s.Readings is not null) waits.Add(stopAfterReadings.Task);
                var restart = s.RestartReceiverAfter is { } after
                    ? RestartReceiverAsync(after, s.ReceiverAway, bound, dbPath, console, h => { h.ReadingStored += Count; Watch(h); host = h; restarted = true; }, () => host, stopRestart.Token)
                    : Task.CompletedTask;
                var first = await Task.WhenAny(waits).ConfigureAwait(false);
                if (first == storeFailed.Task)
                {
                    await error.WriteLineAsync($"espwire demo: storing readings failed: {storeFailed.Task.Exception!.GetBaseException().Message}. Check the disk and --db.").ConfigureAwait(false);
                    exitCode = ExitCodes.DeviceError;
                }
                await stopRestart.CancelAsync().ConfigureAwait(false);
                try
                {
                    await restart.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                if (restarted && !ct.IsCancellationRequested) await fleet.DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            finally
            {
                // Modules first, so no reading is cut off; then the receiver drains what it has read to disk.
                await fleet.DisposeAsync().ConfigureAwait(false);
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
                console.Summary(host.Stats);
                await host.DisposeAsync().ConfigureAwait(false);
            }
            await console.DisposeAsync().ConfigureAwait(false);
            lock (perDevice) DemoSummary.Print(output, fleet, perDevice, restarted);
            output.WriteLine(s.Db is null
                ? "The demo's database was temporary. Keep one with --db PATH, then: espwire readings --db PATH"
                : $"Readings are in {s.Db}. Look at them: espwire readings --db {s.Db}");
            return exitCode;
        }
        finally
        {
            if (temp is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { temp.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>Stops the receiver <paramref name="after"/> seconds in, as a crash or an update would, and starts a new
    /// one on the same port and database <paramref name="away"/> seconds later.</summary>
    private static async Task RestartReceiverAsync(double after, double away, IPEndPoint bound, string dbPath, ReceiverConsole console,
        Action<ReceiverHost> started, Func<ReceiverHost> current, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(after), ct).ConfigureAwait(false);
        console.Info($"Stopping the receiver for {away.ToString(CultureInfo.InvariantCulture)} s, as a crash or an update would.");
        var old = current();
        var http = old.HttpEndpoints.Count > 0 ? old.HttpEndpoints[0] : null;
        await old.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await old.DisposeAsync().ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(away), ct).ConfigureAwait(false);
        var host = await StartReceiverAsync(bound.Port, http, dbPath, ct, tries: 1).ConfigureAwait(false)
            ?? throw new IOException($"could not listen on {bound} again after the restart; something else took the port.");
        started(host);
        console.Attach(host);
        console.Info($"The receiver is back on {bound}.");
    }

    /// <summary>Starts the receiver on 127.0.0.1 at the first free port from <paramref name="port"/>: the demo should
    /// start even when another server (an earlier demo, the seed's Python server) holds 12345.</summary>
    private static async Task<ReceiverHost?> StartReceiverAsync(int port, IPEndPoint? http, string dbPath, CancellationToken ct, int tries = PortsToTry)
    {
        tries = port == 0 ? 1 : Math.Min(tries, 65536 - port);
        var httpTries = 0;
        for (var i = 0; i < tries; i++)
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, port == 0 ? 0 : port + i);
            var host = new ReceiverHost(new ReceiverOptions
            {
                Tcp = [endpoint],
                // UDP on the same port as TCP, as `espwire serve` does; with port 0 the two would differ, so TCP only.
                Udp = port == 0 ? [] : [endpoint],
                DatabasePath = dbPath,
                IdleTimeout = TimeSpan.FromSeconds(30),
                Http = http is null ? [] : [http],
            });
            try
            {
                await host.StartAsync(ct).ConfigureAwait(false);
                return host;
            }
            catch (Exception e) when (IsAddressInUse(e))
            {
                await host.DisposeAsync().ConfigureAwait(false);
                // The live page's port is taken (another demo?): the next one, keeping this receiver port.
                if (http is not null && HttpEndpoint.Clashing(e, [http]) is not null && ++httpTries < PortsToTry && http.Port < 65535)
                {
                    http = new IPEndPoint(http.Address, http.Port + 1);
                    i--;
                }
            }
        }
        return null;
    }

    private static bool IsAddressInUse(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            if (current is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
        return false;
    }

    /// <summary>The seed's sketch writes the laptop's LAN address, 192.168.0.40:12345, which the emulator maps to
    /// 127.0.0.1:12345; on any other port the modules are pointed at 127.0.0.1 directly.</summary>
    private static (string Host, int Port) ServerFor(IPEndPoint bound) =>
        bound.Port == ReceiverOptions.DefaultPort ? ("192.168.0.40", bound.Port) : ("127.0.0.1", bound.Port);

    private static string ServerText(IPEndPoint bound)
    {
        var (host, port) = ServerFor(bound);
        return host == "127.0.0.1" ? $"127.0.0.1:{port}" : $"{host}:{port}, mapped to 127.0.0.1:{port}";
    }
}
