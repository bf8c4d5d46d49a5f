using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Espwire.At;
using Espwire.At.Reader;
using Espwire.Emulator;
using Espwire.Emulator.Hosting;

// AT driver benchmark: 100 KB out through CIPSEND and 100 KB back through passive receive, over socket:// into the
// emulator paced at 115200 baud (10 bits a byte), Espwire's AtModule beside a minimal pyserial AT client doing the
// same commands. Also the reader's parse rate on a synthetic capture, unpaced. Writes bench/at/RESULTS.md.
const int Size = 100 * 1024;
const int Baud = 115200;
var here = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../")))!;
var ceiling = Size * 10.0 / Baud;
var inv = CultureInfo.InvariantCulture;

var espwire = await RunEspwireAsync();
var peer = await RunPeerAsync(Path.Combine(here, "peer.py"));
var parse = ParseRate();

var md = new StringBuilder();
md.AppendLine("# AT driver benchmark: CIPSEND and passive receive at a paced 115200");
md.AppendLine();
md.AppendLine("Command: `dotnet run -c Release --project bench/at` (writes this file; needs /usr/bin/python3 with pyserial).");
md.AppendLine(string.Create(inv, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."));
md.AppendLine("Link: socket:// on loopback into an emulated ESP-12F (AT 1.7.4) with pacing on: both directions at 115200 baud, 10 bits a byte.");
md.AppendLine(string.Create(inv, $"Payload: {Size} bytes each way; the wire alone needs {ceiling:0.00} s. Peer: bench/at/peer.py, a minimal pyserial client with the same strategy (CIPSEND <= 2048, CIPRECVMODE=1, CIPRECVDATA <= 2048)."));
md.AppendLine();
md.AppendLine("| direction | Espwire s | Espwire KB/s | peer (pyserial) s | peer KB/s | peer / Espwire time | Espwire fraction of wire |");
md.AppendLine("|---|---|---|---|---|---|---|");
Row("CIPSEND out", espwire.Send, peer?.Send);
Row("passive receive in", espwire.Receive, peer?.Receive);
md.AppendLine();
md.AppendLine(string.Create(inv, $"Reader parse rate (unpaced, CPU only, 1 byte = 1 feed call vs 4 KB feeds): {parse.Whole:0.0} MB/s in 4 KB pieces, {parse.Bytewise:0.0} MB/s one byte at a time."));
if (peer is null) md.AppendLine("The peer did not run (no python3 with pyserial): its columns are empty.");
md.AppendLine("Fraction of wire = time the bytes alone need at 115200 / measured time; the rest is AT framing (CIPSEND/CIPRECVDATA lines, prompts, SEND OK) and round trips.");
File.WriteAllText(Path.Combine(here, "RESULTS.md"), md.ToString());
Console.Write(md);
return 0;

void Row(string name, double espwireS, double? peerS)
{
    string Kbs(double s) => (Size / 1024.0 / s).ToString("0.00", inv);
    md.AppendLine(string.Create(inv, $"| {name} | {espwireS:0.00} | {Kbs(espwireS)} | {(peerS is { } p ? p.ToString("0.00", inv) : "-")} | {(peerS is { } q ? Kbs(q) : "-")} | {(peerS is { } r ? (r / espwireS).ToString("0.00", inv) : "-")} | {ceiling / espwireS:0.00} |"));
}

static Task<EmulatorHost> StartAsync() => EmulatorHost.StartAsync(new EmulatorHostOptions
{
    Module = new ModuleOptions { Dialect = FirmwareDialect.NonOs, TimeScale = 0, Pace = true },
    Listen = new IPEndPoint(IPAddress.Loopback, 0),
});

static async Task<(double Send, double Receive)> RunEspwireAsync()
{
    await using var host = await StartAsync();
    await using var esp = await AtModule.OpenAsync(host.Modules[0].PortString);
    if (!(await esp.Wifi.JoinAsync("iptime", "admin")).Success) throw new InvalidOperationException("join failed");
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    await using var socket = await esp.Links.ConnectTcpAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
    using var peer = await listener.AcceptTcpClientAsync();
    var data = new byte[Size];
    new Random(1).NextBytes(data);
    var drain = DrainAsync(peer.GetStream(), Size);
    var sw = Stopwatch.StartNew();
    await socket.WriteAsync(data);
    var send = sw.Elapsed.TotalSeconds;
    await drain;
    await peer.GetStream().WriteAsync(data);
    var buffer = new byte[4096];
    var got = 0;
    Stopwatch? first = null;
    while (got < Size)
    {
        var n = await socket.ReadAsync(buffer);
        if (n == 0) throw new EndOfStreamException();
        first ??= Stopwatch.StartNew();
        got += n;
    }
    return (send, first!.Elapsed.TotalSeconds);
}

static async Task<(double Send, double Receive)?> RunPeerAsync(string script)
{
    if (!File.Exists("/usr/bin/python3")) return null;
    await using var host = await StartAsync();
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    var psi = new ProcessStartInfo("/usr/bin/python3", [script, host.Modules[0].PortString, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), Size.ToString(CultureInfo.InvariantCulture)])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    using var process = Process.Start(psi)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEndAsync();
    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    using var client = await listener.AcceptTcpClientAsync(cts.Token);
    await DrainAsync(client.GetStream(), Size);
    var data = new byte[Size];
    new Random(2).NextBytes(data);
    await client.GetStream().WriteAsync(data, cts.Token);
    await process.WaitForExitAsync(cts.Token);
    if (process.ExitCode != 0)
    {
        Console.Error.WriteLine($"peer failed: {await errors}");
        return null;
    }
    using var json = JsonDocument.Parse(await output);
    return (json.RootElement.GetProperty("send_s").GetDouble(), json.RootElement.GetProperty("recv_s").GetDouble());
}

static async Task DrainAsync(Stream stream, int size)
{
    var buffer = new byte[8192];
    var got = 0;
    while (got < size)
    {
        var n = await stream.ReadAsync(buffer);
        if (n == 0) throw new EndOfStreamException();
        got += n;
    }
}

static (double Whole, double Bytewise) ParseRate()
{
    var capture = new MemoryStream();
    var rng = new Random(3);
    while (capture.Length < 8 * 1024 * 1024)
    {
        capture.Write("+CWLAP:(3,\"iptime\",-88,\"88:36:6c:1a:2b:3c\",6,-26,0)\r\n\r\nOK\r\n0,CONNECT\r\n+IPD,0,1460:"u8);
        var payload = new byte[1460];
        rng.NextBytes(payload);
        capture.Write(payload);
        capture.Write("\r\nOK\r\nbusy p...\r\n+CIPRECVDATA,512:"u8);
        capture.Write(payload.AsSpan(0, 512));
        capture.Write("\r\nOK\r\n"u8);
    }
    var bytes = capture.ToArray();
    double Rate(int piece)
    {
        var reader = new AtReader();
        var events = new List<AtEvent>(1024);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < bytes.Length; i += piece)
        {
            reader.Feed(bytes.AsSpan(i, Math.Min(piece, bytes.Length - i)), events);
            if (events.Count > 512) events.Clear();
        }
        return bytes.Length / 1e6 / sw.Elapsed.TotalSeconds;
    }
    Rate(4096);
    return (Rate(4096), Rate(1));
}
