// The live page under load: 10 devices x 100 readings/s over loopback TCP into a receiver with --http, the page open in
// Debian's chromium (Playwright), frame times and long tasks from the browser's Performance API, and the latency from a
// line reaching the socket to its server-sent event. Writes bench/web/RESULTS.md.
// Usage: dotnet run -c Release --project bench/web [-- SECONDS]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Server;
using Microsoft.Playwright;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 20;
const int Devices = 10;
const int PerSecond = 100;
var dir = Directory.CreateTempSubdirectory("espwire-bench-web-").FullName;
await using var host = new ReceiverHost(new ReceiverOptions
{
    Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
    Udp = [],
    Http = [new IPEndPoint(IPAddress.Loopback, 0)],
    DatabasePath = Path.Combine(dir, "espwire.db"),
});
await host.StartAsync();
var url = $"http://{host.HttpEndpoints[0]}/";

// The latency probe: its own stream client, timestamps by Stopwatch like the senders'.
var sent = new ConcurrentDictionary<(int Device, long N), long>();
var latencies = new ConcurrentBag<double>();
using var stop = new CancellationTokenSource();
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
var streamReady = new TaskCompletionSource();
var probe = Task.Run(async () =>
{
    using var response = await http.GetAsync(url + "api/readings/stream", HttpCompletionOption.ResponseHeadersRead, stop.Token);
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
    streamReady.TrySetResult();
    try
    {
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var now = Stopwatch.GetTimestamp();
            using var doc = JsonDocument.Parse(line.AsMemory(6));
            var values = doc.RootElement.GetProperty("values");
            var key = ((int)values.GetProperty("d").GetDouble(), (long)values.GetProperty("n").GetDouble());
            if (sent.TryRemove(key, out var at)) latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
        }
    }
    catch (OperationCanceledException) { }
});
await streamReady.Task;

// Chromium with probes installed before the page's own scripts: every frame's time and every long task.
Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
using var playwright = await Playwright.CreateAsync();
var profile = Path.Combine(dir, "profile");
await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
});
var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
await page.AddInitScriptAsync("""
    window.__bench = { frames: [], longTasks: 0, start: 0, on: false };
    (function tick(prev) { requestAnimationFrame(t => { if (window.__bench.on) window.__bench.frames.push(t - prev); tick(t); }); })(performance.now());
    new PerformanceObserver(list => { if (window.__bench.on) for (const e of list.getEntries()) window.__bench.longTasks += e.duration; })
      .observe({ type: "longtask", buffered: false });
    """);
await page.GotoAsync(url);

// 10 persistent connections, each paced at 100 lines/s (a line every 10 ms, caught up in bursts if the timer is late).
var senders = Enumerable.Range(0, Devices).Select(d => Task.Run(async () =>
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(host.TcpEndpoints[0]);
    await socket.SendAsync(Encoding.ASCII.GetBytes($"@id bench-{d}\n"));
    var clock = Stopwatch.StartNew();
    long n = 0;
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            var due = (long)(clock.Elapsed.TotalSeconds * PerSecond);
            while (n < due)
            {
                n++;
                var line = Encoding.ASCII.GetBytes($"d={d},n={n},distance={Math.Sin(n / 50.0):F3},velocity={Math.Cos(n / 50.0):F3}\n");
                sent[(d, n)] = Stopwatch.GetTimestamp();
                await socket.SendAsync(line);
            }
        }
    }
    catch (OperationCanceledException) { }
    return n;
})).ToArray();

var warmup = TimeSpan.FromSeconds(Math.Min(5, seconds / 4));
await Task.Delay(warmup);
latencies.Clear();
await page.EvaluateAsync("() => { window.__bench.frames = []; window.__bench.longTasks = 0; window.__bench.start = performance.now(); window.__bench.on = true; }");
await Task.Delay(TimeSpan.FromSeconds(seconds));
var browserResult = await page.EvaluateAsync<JsonElement>("() => { window.__bench.on = false; return { frames: window.__bench.frames, longTasks: window.__bench.longTasks, elapsed: performance.now() - window.__bench.start, charts: Object.keys(window.espwireLive.charts()).length }; }");
stop.Cancel();
var lines = (await Task.WhenAll(senders)).Sum();
await probe;
var stats = host.Stats;

var frames = browserResult.GetProperty("frames").EnumerateArray().Select(f => f.GetDouble()).Order().ToArray();
var elapsedMs = browserResult.GetProperty("elapsed").GetDouble();
var longTaskShare = browserResult.GetProperty("longTasks").GetDouble() / elapsedMs;
var lat = latencies.Order().ToArray();
static double P(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
var report = new StringBuilder();
report.AppendLine("# Live page benchmark: 10 devices x 100 readings/s in the browser");
report.AppendLine();
report.AppendLine("Command: `dotnet run -c Release --project bench/web [-- SECONDS]` (writes this file; needs /usr/bin/chromium).");
report.AppendLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {string.Join(' ', load)} at the end (shared with other builds: a smoke run, re-run on a quiet machine).");
report.AppendLine($"Load: {Devices} persistent TCP connections on loopback, {PerSecond} lines/s each (key=value, 4 values), for {F(seconds)} s after a {F(warmup.TotalSeconds)} s warm-up; {lines:N0} lines sent, {stats.ReadingsStored:N0} stored.");
report.AppendLine("Browser: Debian chromium, headless, 1280x900, the page at `/` with its 1 min window; probes installed before the page's scripts.");
report.AppendLine();
report.AppendLine("| measure | value |");
report.AppendLine("|---|---|");
report.AppendLine($"| charts drawn | {browserResult.GetProperty("charts").GetInt32()} |");
report.AppendLine($"| frames (requestAnimationFrame) | {frames.Length} in {F(elapsedMs / 1000)} s = {F(frames.Length / (elapsedMs / 1000))} fps |");
report.AppendLine($"| frame time p50 / p95 / p99 / max, ms | {F(P(frames, 0.5))} / {F(P(frames, 0.95))} / {F(P(frames, 0.99))} / {F(frames.LastOrDefault())} |");
report.AppendLine($"| main thread in long tasks (>50 ms, PerformanceObserver 'longtask') | {F(longTaskShare * 100)} % |");
report.AppendLine($"| latency socket write -> SSE event, p50 / p99 / max, ms ({lat.Length:N0} readings) | {F(P(lat, 0.5))} / {F(P(lat, 0.99))} / {F(lat.LastOrDefault())} |");
report.AppendLine();
report.AppendLine("No peer: there is no other dashboard for these devices to run side by side; the figures stand alone. The page");
report.AppendLine("batches: uPlot's setData runs at most every 250 ms per chart, so a reading appears on screen up to 250 ms after");
report.AppendLine("its event; the latency above is the server's part (socket to event), measured by a stream client in this process.");
var path = Path.Combine(FindRepo(), "bench", "web", "RESULTS.md");
File.WriteAllText(path, report.ToString());
Console.Write(report);
Console.WriteLine($"wrote {path}");
try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
return 0;

static string FindRepo()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Espwire.slnx"))) return d.FullName;
    return Directory.GetCurrentDirectory();
}
