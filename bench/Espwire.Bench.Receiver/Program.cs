using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;

// Load generator for receivers of line-per-reading TCP/UDP traffic. Loopback only.
// Modes (each prints one JSON line with the measured rate):
//   permsg     HOST:PORT COUNT CONCURRENCY       the seed's sketch: connect, send "N\r\n", close; COUNT connections
//   persistent HOST:PORT CONNECTIONS LINES       each connection streams LINES 8-byte lines ("1234567\n"), then closes
//   udp        HOST:PORT DATAGRAMS LINES         each datagram carries LINES 8-byte lines
//   idle       HOST:PORT CONNECTIONS             opens and holds connections; prints "ready"; closes on a stdin line
//   sink       DBPATH ROWS                       in-process: Espwire's SQLite sink alone, batches of 10,000 readings
//   session    ROUNDS CONNECTIONS            in-process: the receiver's per-connection path alone (ReceiverCore over an
//                                            in-memory pipe carrying "581\r\n"), no sockets; prints us and bytes per connection
//   plain      DBPATH ROWS                       in-process: plain prepared 3-column inserts in 10,000-row transactions
//   ackstream  HOST:PORT CONNECTIONS LINES       docs/ack-protocol.md: each connection a device (hello, then LINES
//                                            "#SEQ 1234567" lines, up to 65,536 unacknowledged); done when all are ACKed
//   ackpermsg  HOST:PORT COUNT CONCURRENCY       acknowledged per-message: connect, "@id pm-K ack" + "#n 581" in one
//                                            write, read both ACKs, close; each worker is one device
// Options: --db PATH (wait until the SQLite readings table holds every line), --file PATH (wait until the file holds
// every line), --expect N (lines to wait for, default: all sent), --wait-seconds S (give up waiting, default 120).

var args2 = args.ToList();
string? Take(string name)
{
    var i = args2.IndexOf(name);
    if (i < 0 || i + 1 >= args2.Count) return null;
    var v = args2[i + 1];
    args2.RemoveRange(i, 2);
    return v;
}
var db = Take("--db");
var file = Take("--file");
var expectText = Take("--expect");
var waitSeconds = double.Parse(Take("--wait-seconds") ?? "120", CultureInfo.InvariantCulture);
if (args2.Count < 3)
{
    Console.Error.WriteLine("usage: Espwire.Bench.Receiver permsg|persistent|udp|idle HOST:PORT N [M] [--db PATH|--file PATH] [--expect N]");
    return 2;
}
var mode = args2[0];
if (args2[0] == "session")
    return await InProcessSessionAsync(long.Parse(args2[1], CultureInfo.InvariantCulture), long.Parse(args2[2], CultureInfo.InvariantCulture));
if (args2[0] is "sink" or "plain")
    return await InProcessSqliteAsync(args2[0], args2[1], long.Parse(args2[2], CultureInfo.InvariantCulture));
var target = IPEndPoint.Parse(args2[1]);
if (!IPAddress.IsLoopback(target.Address)) { Console.Error.WriteLine("loopback targets only"); return 2; }
var n = long.Parse(args2[2], CultureInfo.InvariantCulture);
var m = args2.Count > 3 ? long.Parse(args2[3], CultureInfo.InvariantCulture) : 1;

// Files and databases may hold earlier runs' lines: count only what this run adds.
var baseline = db is not null ? CountDb(db) : file is not null ? CountLines(file) : 0;
var clock = Stopwatch.StartNew();
long sent;
long failures = 0;
switch (mode)
{
    case "permsg":
        sent = await PerMessageAsync(target, n, (int)m);
        break;
    case "persistent":
        sent = await PersistentAsync(target, (int)n, m);
        break;
    case "udp":
        sent = await UdpAsync(target, n, (int)m);
        break;
    case "idle":
        return await IdleAsync(target, (int)n);
    case "ackstream":
        sent = await AckStreamAsync(target, (int)n, m);
        break;
    case "ackpermsg":
        sent = await AckPerMessageAsync(target, n, (int)m);
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}
var sendSeconds = clock.Elapsed.TotalSeconds;
var expect = expectText is null ? sent : long.Parse(expectText, CultureInfo.InvariantCulture);
long stored = -1;
if (db is not null) stored = await WaitAsync(() => CountDb(db) - baseline, expect, waitSeconds);
else if (file is not null) stored = await WaitAsync(() => CountLines(file) - baseline, expect, waitSeconds);
var seconds = clock.Elapsed.TotalSeconds;
var connections = mode is "permsg" or "persistent" or "ackpermsg" or "ackstream" ? n : 0;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"mode\":\"{mode}\",\"lines_sent\":{sent},\"lines_stored\":{stored},\"failures\":{failures},\"send_seconds\":{sendSeconds:F3},\"seconds\":{seconds:F3},\"lines_per_s\":{(stored >= 0 ? stored : sent) / seconds:F0},\"connections_per_s\":{connections / seconds:F0}}}"));
return 0;

async Task<long> PerMessageAsync(IPEndPoint endpoint, long count, int concurrency)
{
    long next = -1;
    var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        var buffer = new byte[64];
        while (true)
        {
            var i = Interlocked.Increment(ref next);
            if (i >= count) return;
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint);
                await socket.SendAsync(Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture) + "\r\n"));
                socket.Shutdown(SocketShutdown.Send);
                // Like the sketch's next loop: the server has taken the line once it closes.
                while (await socket.ReceiveAsync(buffer.AsMemory()) > 0) { }
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref failures);
            }
        }
    })).ToArray();
    await Task.WhenAll(workers);
    return count - failures;
}

async Task<long> PersistentAsync(IPEndPoint endpoint, int connections, long lines)
{
    var chunkLines = 8192;
    var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1234567\n", chunkLines)));
    var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        for (long left = lines; left > 0; left -= chunkLines)
        {
            var count = (int)Math.Min(chunkLines, left);
            await socket.SendAsync(chunk.AsMemory(0, count * 8));
        }
        socket.Shutdown(SocketShutdown.Send);
        var buffer = new byte[64];
        while (await socket.ReceiveAsync(buffer.AsMemory()) > 0) { }
    })).ToArray();
    await Task.WhenAll(workers);
    return connections * lines;
}

async Task<long> AckStreamAsync(IPEndPoint endpoint, int connections, long lines)
{
    const int window = 65_536;
    var workers = Enumerable.Range(0, connections).Select(k => Task.Run(async () =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        var device = $"bench-{k}-{Environment.ProcessId}-{Stopwatch.GetTimestamp()}";
        await socket.SendAsync(Encoding.ASCII.GetBytes($"@id {device} ack\n"));
        var acks = new AckReader(socket);
        var acked = await acks.NextAsync();
        var next = acked + 1;
        var last = acked + lines;
        var text = new StringBuilder();
        while (acked < last)
        {
            if (next <= last && next <= acked + window)
            {
                text.Clear();
                for (var end = Math.Min(last, Math.Min(acked + window, next + 4095)); next <= end; next++)
                    text.Append('#').Append(next).Append(" 1234567\n");
                await socket.SendAsync(Encoding.ASCII.GetBytes(text.ToString()));
            }
            else
            {
                acked = Math.Max(acked, await acks.NextAsync());
            }
        }
        socket.Shutdown(SocketShutdown.Send);
    })).ToArray();
    await Task.WhenAll(workers);
    return connections * lines;
}

async Task<long> AckPerMessageAsync(IPEndPoint endpoint, long count, int concurrency)
{
    long next = -1;
    var run = $"{Environment.ProcessId}-{Stopwatch.GetTimestamp()}";
    var workers = Enumerable.Range(0, concurrency).Select(k => Task.Run(async () =>
    {
        var device = $"pm-{k}-{run}";
        long seq = 0;
        while (true)
        {
            var i = Interlocked.Increment(ref next);
            if (i >= count) return;
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint);
                seq++;
                await socket.SendAsync(Encoding.ASCII.GetBytes($"@id {device} ack\r\n#{seq} 581\r\n"));
                var acks = new AckReader(socket);
                await acks.NextAsync(); // the hello's
                if (await acks.NextAsync() != seq) Interlocked.Increment(ref failures);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or EndOfStreamException)
            {
                Interlocked.Increment(ref failures);
            }
        }
    })).ToArray();
    await Task.WhenAll(workers);
    return count - failures;
}

async Task<long> UdpAsync(IPEndPoint endpoint, long datagrams, int linesPerDatagram)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1234567\n", linesPerDatagram)));
    for (long i = 0; i < datagrams; i++) await socket.SendToAsync(payload, endpoint);
    return datagrams * linesPerDatagram;
}

async Task<int> IdleAsync(IPEndPoint endpoint, int connections)
{
    var sockets = new List<Socket>(connections);
    for (var i = 0; i < connections; i++)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        await socket.SendAsync("@id idle\n0\n"u8.ToArray());
        sockets.Add(socket);
    }
    Console.WriteLine("ready");
    await Console.In.ReadLineAsync();
    foreach (var socket in sockets) socket.Dispose();
    return 0;
}

static async Task<int> InProcessSessionAsync(long rounds, long connections)
{
    // No writer runs: the queue is sized to hold every reading, so nothing waits.
    var options = new Espwire.Receiver.Server.ReceiverOptions
    {
        Tcp = [new IPEndPoint(IPAddress.Loopback, 0)], Udp = [], DatabasePath = null, QueueCapacity = (int)Math.Min(int.MaxValue, rounds * connections + 1),
        MaxConnectionsPerAddress = 1_000_000, MaxConnections = 1_000_000,
    };
    await using var core = new Espwire.Receiver.Server.ReceiverCore(options);
    var remote = new IPEndPoint(IPAddress.Loopback, 50027);
    var line = "581\r\n"u8.ToArray();
    for (var round = 0; round < rounds; round++)
    {
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < connections; i++)
        {
            var pipe = new System.IO.Pipelines.Pipe();
            await pipe.Writer.WriteAsync(line);
            await pipe.Writer.CompleteAsync();
            await core.HandleConnectionAsync(pipe.Reader, remote);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / connections;
        var perConnection = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)connections;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"mode\":\"session\",\"round\":{round},\"connections\":{connections},\"us_per_connection\":{seconds * 1e6 / connections:F2},\"cpu_us_per_connection\":{cpuUs:F2},\"bytes_per_connection\":{perConnection:F0}}}"));
    }
    return 0;
}

static async Task<int> InProcessSqliteAsync(string mode, string path, long rows)
{
    const int batchSize = 10_000;
    var remote = new IPEndPoint(IPAddress.Loopback, 40000);
    var batch = new List<Espwire.Receiver.Readings.Reading>(batchSize);
    for (var i = 0; i < batchSize; i++)
        batch.Add(new Espwire.Receiver.Readings.Reading("127.0.0.1", remote, Espwire.Receiver.Readings.Transport.Tcp,
            Espwire.Receiver.Readings.Reading.NowMicros(), (1_000_000 + i).ToString(CultureInfo.InvariantCulture), 1_000_000 + i,
            Espwire.Receiver.Readings.ReadingFlags.None));
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    if (mode == "sink")
    {
        await using var sink = await Espwire.Receiver.Sinks.SqliteReadingSink.OpenAsync(path);
        for (long done = 0; done < rows; done += batchSize) await sink.WriteAsync(batch, CancellationToken.None);
    }
    else
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, at INTEGER, raw TEXT, value REAL)";
            pragma.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (at, raw, value) VALUES ($at, $raw, $value)";
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var raw = insert.Parameters.Add("$raw", SqliteType.Text);
        var value = insert.Parameters.Add("$value", SqliteType.Real);
        insert.Prepare();
        for (long done = 0; done < rows; done += batchSize)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            foreach (var r in batch)
            {
                at.Value = r.ReceivedAtMicros;
                raw.Value = r.Raw;
                value.Value = r.FirstValue;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }
    var seconds = clock.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"mode\":\"{mode}\",\"lines_sent\":{rows},\"lines_stored\":{rows},\"failures\":0,\"send_seconds\":{seconds:F3},\"seconds\":{seconds:F3},\"lines_per_s\":{rows / seconds:F0},\"connections_per_s\":0,\"cpu_us_per_row\":{cpuSeconds * 1e6 / rows:F2}}}"));
    return 0;
}

static async Task<long> WaitAsync(Func<long> count, long expect, double seconds)
{
    var deadline = Stopwatch.StartNew();
    long now;
    while ((now = count()) < expect && deadline.Elapsed.TotalSeconds < seconds) await Task.Delay(20);
    return now;
}

static long CountDb(string path)
{
    try
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM readings";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
    catch (SqliteException)
    {
        return 0;
    }
}

static long CountLines(string path)
{
    if (!File.Exists(path)) return 0;
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
    var buffer = new byte[1 << 16];
    long lines = 0;
    int read;
    while ((read = stream.Read(buffer)) > 0) lines += buffer.AsSpan(0, read).Count((byte)'\n');
    return lines;
}

/// <summary>Reads "ACK N" lines from a socket.</summary>
sealed class AckReader(Socket socket)
{
    private readonly byte[] _buffer = new byte[65_536];
    private int _start;
    private int _end;

    public async Task<long> NextAsync()
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, lf - _start);
                _start = lf + 1;
                if (!line.StartsWith("ACK ", StringComparison.Ordinal)) throw new InvalidDataException($"expected ACK N, got '{line}'");
                return long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
            }
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            var n = await socket.ReceiveAsync(_buffer.AsMemory(_end));
            if (n == 0) throw new EndOfStreamException("the receiver closed before its ACK");
            _end += n;
        }
    }
}
