using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Espwire.Testing;
using Microsoft.Data.Sqlite;

namespace Espwire.Cli.Tests.ServeProcess;

/// <summary><c>espwire serve</c> as a process: what only the process does (signals, the drain before exit, the summary
/// line, exit codes, messages on stderr). Everything on loopback; serve binds port 0 and reports the port it got.</summary>
public sealed partial class ServeProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-serve-process-").FullName;

    private string Db => Path.Combine(_dir, "readings.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process the test had to kill; the temp dir is cleaned up later.
        }
    }

    [Theory]
    [InlineData(Signal.Terminate)]
    [InlineData(Signal.Interrupt)] // What Ctrl+C in a terminal sends.
    public async Task A_signal_while_devices_send_drains_every_line_read_prints_the_summary_and_exits_0(Signal signal)
    {
        // --quiet: printing every reading would cost the loaded machine more than the receiving does.
        using var serve = ChildProcess.Espwire("serve", "--tcp", "127.0.0.1:0", "--no-udp", "--db", Db, "--quiet");
        var (tcp, _) = await serve.WaitUntilListeningAsync();
        // Blocking senders on their own threads, each sending a bounded run of lines as fast as the server takes
        // them: on a busy machine readings are in flight in every stage (socket, queue, batch) when the signal arrives.
        var senders = Enumerable.Range(0, 3).Select(k => Task.Factory.StartNew(() => Send(tcp[0], $"proc-{k}", 30_000),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        // Past the first few batches on every connection (the database is safe to read while serve writes: WAL).
        await Eventually.UntilAsync(() => StoredPerDevice(Db) is { Count: 3 } counts && counts.Values.All(n => n >= 300), "300 readings stored from each device",
            context: serve.Transcript);

        serve.Send(signal);
        var exitCode = await serve.WaitForExitAsync();
        await Task.WhenAll(senders).WaitAsync(TestTimeouts.Patience);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{serve.Transcript()}");
        var summary = serve.Error.Where(l => l.StartsWith("Stopped.", StringComparison.Ordinal)).ToList();
        Assert.True(summary.Count == 1, serve.Transcript());
        var match = SummaryLine().Match(summary[0]);
        Assert.True(match.Success, $"Not the summary line: '{summary[0]}'");
        var stored = long.Parse(match.Groups["stored"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(3, int.Parse(match.Groups["connections"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(0, int.Parse(match.Groups["datagrams"].Value, CultureInfo.InvariantCulture));

        var rows = ReadRows(Db);
        // What the summary says was stored is what the file holds after the process is gone.
        Assert.Equal(stored, rows.Count);
        Assert.Equal(["proc-0", "proc-1", "proc-2"], rows.Select(r => r.Device).Distinct().Order());
        foreach (var device in rows.GroupBy(r => r.Device))
        {
            // Every complete line read is stored, in order, without a gap: 0, 1, 2, ... (the stop may cut one last
            // line in half; it is kept and flagged partial).
            var complete = device.Where(r => !r.Partial).Select(r => r.Raw).ToList();
            Assert.Equal(Enumerable.Range(0, complete.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), complete);
            Assert.True(complete.Count >= 300, $"{device.Key}: {complete.Count} readings");
            Assert.True(device.Count(r => r.Partial) <= 1);
        }
    }

    [Theory]
    [InlineData(Signal.Terminate)]
    [InlineData(Signal.Interrupt)]
    public async Task A_signal_the_moment_serve_says_listening_still_stops_it_cleanly_with_exit_0(Signal signal)
    {
        // "Listening" is printed before System.CommandLine registers its own signal handlers (it does so once the
        // action returns its first Task): a signal in that gap used to kill serve with exit 143 and no summary.
        // Three rounds, each signalled as soon as the line is read, to hit the gap when it is there.
        for (var round = 0; round < 3; round++)
        {
            using var serve = ChildProcess.Espwire("serve", "--tcp", "127.0.0.1:0", "--no-udp", "--db", Db, "--quiet");
            await serve.WaitUntilListeningAsync();
            serve.Send(signal);
            var exitCode = await serve.WaitForExitAsync();
            Assert.True(exitCode == 0, $"round {round}: exit code {exitCode}\n{serve.Transcript()}");
            Assert.Contains(serve.Error, l => l.StartsWith("Stopped.", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Readings_sent_over_tcp_and_udp_before_sigterm_are_all_in_the_database_afterwards()
    {
        using var serve = ChildProcess.Espwire("serve", "--tcp", "127.0.0.1:0", "--udp", "127.0.0.1:0", "--db", Db);
        var (tcp, udp) = await serve.WaitUntilListeningAsync();
        Assert.Single(tcp);
        Assert.Single(udp);
        // The seed's device: one connection per reading, "23.5\n" style lines.
        for (var i = 0; i < 20; i++)
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(tcp[0]);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"@id per-message\n{20 + i * 0.5:0.0}\n"));
        }
        using (var persistent = new TcpClient(AddressFamily.InterNetwork))
        {
            await persistent.ConnectAsync(tcp[0]);
            var lines = new StringBuilder("@id persistent\n");
            for (var i = 0; i < 500; i++) lines.Append(CultureInfo.InvariantCulture, $"t={i}\n");
            await persistent.GetStream().WriteAsync(Encoding.ASCII.GetBytes(lines.ToString()));
        }
        using (var datagrams = new UdpClient(AddressFamily.InterNetwork))
        {
            for (var i = 0; i < 10; i++) await datagrams.SendAsync(Encoding.ASCII.GetBytes($"@id udp-device\nu{i}\n"), udp[0]);
        }
        // serve prints a reading once it is stored; wait for the last of each kind, then stop it.
        await serve.WaitForLinesAsync(line => line.StartsWith("Received data : ", StringComparison.Ordinal), 530, "printing all 530 readings sent");

        serve.Send(Signal.Terminate);
        Assert.Equal(0, await serve.WaitForExitAsync());

        Assert.Contains("Stopped. 530 readings stored from 21 connections and 10 datagrams.", serve.Error);
        // A clean close checkpoints the write-ahead log into the file and removes it: a killed process leaves it behind.
        Assert.False(File.Exists(Db + "-wal"), "readings.db-wal is left: the database was not closed cleanly");
        var rows = ReadRows(Db);
        Assert.Equal(530, rows.Count);
        // Separate connections are read concurrently, so their order is not fixed; each reading is there once.
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (20 + i * 0.5).ToString("0.0", CultureInfo.InvariantCulture)),
            rows.Where(r => r.Device == "per-message").Select(r => r.Raw).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"t={i}"), rows.Where(r => r.Device == "persistent").Select(r => r.Raw));
        // Datagrams may be read in any order too.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"u{i}"), rows.Where(r => r.Device == "udp-device").Select(r => r.Raw).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.False(r.Partial));
    }

    [Theory]
    [InlineData("--tcp", "127.0.0.1:port", "--tcp '127.0.0.1:port' is not ADDR:PORT")]
    [InlineData("--udp", "70000", "--udp '70000': the port must be 0-65535")]
    [InlineData("--max-connections", "0", "--max-connections must be at least 1")]
    [InlineData("--idle-timeout", "-1", "--idle-timeout must be 0 (never) or a number of seconds")]
    [InlineData("--max-connections", "abc", "'abc' is not a value of --max-connections: use a whole number")] // Rejected by the parser itself.
    public async Task A_bad_option_value_exits_2_with_a_one_line_reason_and_a_pointer_to_help(string option, string value, string reason)
    {
        using var serve = ChildProcess.Espwire("serve", "--tcp", "127.0.0.1:0", option, value, "--db", Db);
        var exitCode = await serve.WaitForExitAsync();

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{serve.Transcript()}");
        var said = serve.Error.Where(l => l.Trim().Length > 0).ToList();
        // The one line that matters, then where to read more: never the whole help page, never a .NET type name.
        Assert.True(said.Count == 2, $"Expected the reason and a pointer to --help on stderr.\n{serve.Transcript()}");
        Assert.StartsWith("espwire serve: ", said[0], StringComparison.Ordinal);
        Assert.Contains(reason, said[0], StringComparison.Ordinal);
        Assert.Equal("see 'espwire serve --help' for the options and examples.", said[1].Trim());
        Assert.DoesNotContain("System.", string.Join('\n', said), StringComparison.Ordinal);
        Assert.DoesNotContain(serve.Output, l => l.StartsWith("Listening", StringComparison.Ordinal) || l.Contains("Usage:", StringComparison.Ordinal));
        Assert.DoesNotContain(serve.Output, l => l.StartsWith("Listening", StringComparison.Ordinal));
        Assert.False(File.Exists(Db), "a usage error must not create the database");
    }

    [Fact]
    public async Task A_tcp_port_in_use_exits_1_naming_the_port()
    {
        // The test holds the port for the whole run, so nothing else can take it in between.
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        using var serve = ChildProcess.Espwire("serve", "--tcp", $"127.0.0.1:{port}", "--no-udp", "--db", Db);
        var exitCode = await serve.WaitForExitAsync();

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{serve.Transcript()}");
        var said = string.Join('\n', serve.Error);
        Assert.Contains($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", said, StringComparison.Ordinal);
        Assert.StartsWith("espwire serve: cannot listen on", said, StringComparison.Ordinal);
        Assert.DoesNotContain(serve.Output, l => l.StartsWith("Listening", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_udp_port_in_use_exits_1_naming_the_port()
    {
        using var holder = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.Client.LocalEndPoint!).Port;

        using var serve = ChildProcess.Espwire("serve", "--tcp", "127.0.0.1:0", "--udp", $"127.0.0.1:{port}", "--db", Db);
        var exitCode = await serve.WaitForExitAsync();

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{serve.Transcript()}");
        var said = string.Join('\n', serve.Error);
        Assert.Contains($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", said, StringComparison.Ordinal);
        Assert.StartsWith("espwire serve: cannot listen on", said, StringComparison.Ordinal);
    }

    /// <summary>Sends "@id DEVICE" and then the lines 0, 1, 2, ... up to <paramref name="lines"/>, in chunks, until
    /// done or serve closes the connection.</summary>
    private static void Send(IPEndPoint server, string device, int lines)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(server);
        try
        {
            socket.Send(Encoding.ASCII.GetBytes($"@id {device}\n"));
            var chunk = new StringBuilder();
            for (var i = 0; i < lines;)
            {
                chunk.Clear();
                for (var end = Math.Min(i + 500, lines); i < end; i++) chunk.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
                socket.Send(Encoding.ASCII.GetBytes(chunk.ToString()));
            }
        }
        catch (SocketException)
        {
            // serve stopped and closed the connection: expected.
        }
    }

    private static Dictionary<string, long> StoredPerDevice(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT device, count(*) FROM readings GROUP BY device";
            using var reader = command.ExecuteReader();
            var counts = new Dictionary<string, long>();
            while (reader.Read()) counts[reader.GetString(0)] = reader.GetInt64(1);
            return counts;
        }
        catch (SqliteException)
        {
            return []; // serve has not created the file or its table yet.
        }
    }

    private static List<(string Device, string Raw, bool Partial)> ReadRows(string path)
    {
        // Plain SQL against the documented schema (docs/receiver-schema.md), not the receiver's own reader.
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT device, raw, partial FROM readings ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, bool)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
        return rows;
    }

    [GeneratedRegex(@"^Stopped\. (?<stored>\d+) readings stored from (?<connections>\d+) connections and (?<datagrams>\d+) datagrams\.")]
    private static partial Regex SummaryLine();
}
