using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Emulator;

// One run, every figure beside its peer: the emulator's AT data path against a plain loopback socket doing the
// same transfer, and the paced UART against the wire's ceiling (10 bits per byte).
// Usage: dotnet run -c Release --project bench/emulator [-- MEGABYTES]
var megabytes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 8;
var total = megabytes * 1024 * 1024;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"transfer: {megabytes} MB per direction, time scale 0, loopback only");
Console.WriteLine();

var direct = await DirectSocketAsync(total);
var send = await CipSendAsync(total, pace: false);
Print("host -> TCP via AT+CIPSEND (2048-byte sends)", send, direct);
var ipd = await IpdReceiveAsync(total, pace: false);
Print("TCP -> host via +IPD frames", ipd, direct);
var pacedBytes = 64 * 1024;
var paced = await IpdReceiveAsync(pacedBytes, pace: true);
Console.WriteLine($"{"TCP -> host via +IPD, paced 115200",-46} {paced / 1024.0,9:F1} KiB/s   UART ceiling {11520 / 1024.0:F1} KiB/s   ratio {paced / 11520:F3}");
var (latency, pacedLatency) = await AtRoundTripAsync();
Console.WriteLine($"{"AT round trip (unpaced)",-46} {latency.TotalMicroseconds,9:F0} us");
var ceiling = TimeSpan.FromSeconds(17 * 10 / 115200.0);
Console.WriteLine($"{"AT round trip (paced 115200, 17 bytes)",-46} {pacedLatency.TotalMicroseconds,9:F0} us   wire time {ceiling.TotalMicroseconds:F0} us   ratio {pacedLatency / ceiling:F2}");

static void Print(string what, double espwire, double peer)
    => Console.WriteLine($"{what,-46} {espwire / 1048576,9:F1} MiB/s   plain socket {peer / 1048576:F1} MiB/s   ratio {espwire / peer:F3}");

static async Task<double> DirectSocketAsync(int total)
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
    using var server = await listener.AcceptSocketAsync();
    var chunk = new byte[2048];
    var watch = Stopwatch.StartNew();
    var reading = DrainAsync(server, total);
    for (var sent = 0; sent < total; sent += chunk.Length) await client.SendAsync(chunk);
    await reading;
    return total / watch.Elapsed.TotalSeconds;
}

static async Task DrainAsync(Socket socket, int total)
{
    var buffer = new byte[65536];
    var got = 0;
    while (got < total)
    {
        var n = await socket.ReceiveAsync(buffer);
        if (n == 0) throw new EndOfStreamException();
        got += n;
    }
}

static async Task<(VirtualModule Module, Stream Host, Socket Peer, TcpListener Listener)> ConnectedAsync(bool pace)
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var module = new VirtualModule(new ModuleOptions { TimeScale = 0, Pace = pace });
    var a = new Pipe();
    var b = new Pipe();
    var host = new DuplexStream(a.Reader, b.Writer);
    _ = module.AttachAsync(new DuplexStream(b.Reader, a.Writer));
    var reader = new LineReader(host);
    await reader.UntilAsync("ready\r\n");
    await host.WriteAsync("ATE0\r\n"u8.ToArray());
    await reader.UntilAsync("OK\r\n");
    await host.WriteAsync("AT+CWJAP=\"iptime\",\"admin\"\r\n"u8.ToArray());
    await reader.UntilAsync("OK\r\n");
    var accept = listener.AcceptSocketAsync();
    await host.WriteAsync(Encoding.ASCII.GetBytes($"AT+CIPSTART=\"TCP\",\"192.168.0.40\",{((IPEndPoint)listener.LocalEndpoint).Port}\r\n"));
    await reader.UntilAsync("OK\r\n");
    return (module, host, await accept, listener);
}

static async Task<double> CipSendAsync(int total, bool pace)
{
    var (module, host, peer, listener) = await ConnectedAsync(pace);
    await using var _ = module;
    using var __ = peer;
    var reader = new LineReader(host);
    var chunk = new byte[2048];
    var watch = Stopwatch.StartNew();
    var draining = DrainAsync(peer, total);
    for (var sent = 0; sent < total; sent += chunk.Length)
    {
        await host.WriteAsync("AT+CIPSEND=2048\r\n"u8.ToArray());
        await reader.UntilAsync("> ");
        await host.WriteAsync(chunk);
        await reader.UntilAsync("SEND OK\r\n");
    }
    await draining;
    listener.Stop();
    return total / watch.Elapsed.TotalSeconds;
}

static async Task<double> IpdReceiveAsync(int total, bool pace)
{
    var (module, host, peer, listener) = await ConnectedAsync(pace);
    await using var _ = module;
    using var __ = peer;
    var payload = new byte[total];
    var watch = Stopwatch.StartNew();
    var sending = peer.SendAsync(payload);
    var buffer = new byte[65536];
    var got = 0;
    // Count payload bytes: everything minus the "\r\n+IPD,N:" headers.
    var headerBytes = 0;
    var pending = new List<byte>();
    while (got < total)
    {
        var n = await host.ReadAsync(buffer);
        pending.AddRange(buffer.AsSpan(0, n).ToArray());
        while (true)
        {
            var colon = pending.IndexOf((byte)':');
            if (colon < 0 || pending.Count < colon + 1) break;
            var header = Encoding.ASCII.GetString(pending.GetRange(0, colon).ToArray());
            var length = int.Parse(header[(header.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (pending.Count < colon + 1 + length) break;
            headerBytes += colon + 1;
            got += length;
            pending.RemoveRange(0, colon + 1 + length);
        }
    }
    await sending;
    listener.Stop();
    return total / watch.Elapsed.TotalSeconds;
}

static async Task<(TimeSpan Unpaced, TimeSpan Paced)> AtRoundTripAsync()
{
    async Task<TimeSpan> RunAsync(bool pace, int count)
    {
        await using var module = new VirtualModule(new ModuleOptions { TimeScale = 0, Pace = pace });
        var a = new Pipe();
        var b = new Pipe();
        var host = new DuplexStream(a.Reader, b.Writer);
        _ = module.AttachAsync(new DuplexStream(b.Reader, a.Writer));
        var reader = new LineReader(host);
        await reader.UntilAsync("ready\r\n");
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await host.WriteAsync("AT\r\n"u8.ToArray());
            await reader.UntilAsync("OK\r\n");
        }
        return watch.Elapsed / count;
    }
    return (await RunAsync(false, 5000), await RunAsync(true, 300));
}

/// <summary>Reads a stream until a marker, discarding what came before.</summary>
sealed class LineReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[65536];
    private readonly List<byte> _pending = [];

    public async Task UntilAsync(string marker)
    {
        var m = Encoding.ASCII.GetBytes(marker);
        while (true)
        {
            var at = Find(m);
            if (at >= 0)
            {
                _pending.RemoveRange(0, at + m.Length);
                return;
            }
            var n = await stream.ReadAsync(_buffer);
            if (n == 0) throw new EndOfStreamException(marker);
            _pending.AddRange(_buffer.AsSpan(0, n).ToArray());
        }
    }

    private int Find(byte[] m)
    {
        for (var i = 0; i + m.Length <= _pending.Count; i++)
        {
            var ok = true;
            for (var j = 0; j < m.Length && ok; j++) ok = _pending[i + j] == m[j];
            if (ok) return i;
        }
        return -1;
    }
}

/// <summary>One end of an in-memory serial cable.</summary>
sealed class DuplexStream(PipeReader reader, PipeWriter writer) : Stream
{
    private readonly Stream _read = reader.AsStream();
    private readonly Stream _write = writer.AsStream();
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => _write.Flush();
    public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _read.ReadAsync(buffer, cancellationToken);
    public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write.WriteAsync(buffer, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
