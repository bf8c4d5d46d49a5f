using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;
using Microsoft.Data.Sqlite;

namespace Espwire.Receiver.Tests.Support;

/// <summary>A real receiver on 127.0.0.1 port 0 (TCP and UDP) with a database in a temporary directory.</summary>
internal sealed class TestReceiver : IAsyncDisposable
{
    public static readonly TimeSpan Patience = Espwire.Testing.TestTimeouts.Seconds(30);
    private readonly string _dir;
    private readonly bool _ownsDir;
    private readonly List<(long Count, TaskCompletionSource Done)> _storedWaits = [];
    private readonly Lock _gate = new();
    private long _stored;

    private TestReceiver(ReceiverHost host, string dir, bool ownsDir)
    {
        Host = host;
        _dir = dir;
        _ownsDir = ownsDir;
        host.ReadingStored += OnStored;
        host.Notice += n => Notices.Enqueue(n);
        host.Notice += n => NoticeRaised?.Invoke(n);
    }

    public ReceiverHost Host { get; }

    public string DatabasePath => Path.Combine(_dir, "espwire.db");

    public ConcurrentQueue<ReceiverNotice> Notices { get; } = new();

    public event Action<ReceiverNotice>? NoticeRaised;

    public IPEndPoint Tcp => Host.TcpEndpoints[0];

    public IPEndPoint Udp => Host.UdpEndpoints[0];

    /// <summary>Starts a receiver; with <paramref name="dir"/>, on the database already there (kept after dispose).</summary>
    public static async Task<TestReceiver> StartAsync(Func<ReceiverOptions, ReceiverOptions>? configure = null, string? dir = null)
    {
        var ownsDir = dir is null;
        dir ??= Directory.CreateTempSubdirectory("espwire-receiver-test-").FullName;
        var options = new ReceiverOptions
        {
            Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
            Udp = [new IPEndPoint(IPAddress.Loopback, 0)],
            DatabasePath = Path.Combine(dir, "espwire.db"),
        };
        if (configure is not null) options = configure(options);
        var host = new ReceiverHost(options);
        var receiver = new TestReceiver(host, dir, ownsDir);
        try
        {
            await host.StartAsync().WaitAsync(Patience);
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
        return receiver;
    }

    private void OnStored(Reading reading)
    {
        lock (_gate)
        {
            _stored++;
            for (var i = _storedWaits.Count - 1; i >= 0; i--)
            {
                if (_stored >= _storedWaits[i].Count)
                {
                    _storedWaits[i].Done.TrySetResult();
                    _storedWaits.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> readings are in the sinks.</summary>
    public Task WaitForStoredAsync(long count)
    {
        lock (_gate)
        {
            if (_stored >= count) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _storedWaits.Add((count, done));
            return done.Task.WaitAsync(Patience);
        }
    }

    /// <summary>Waits for the first notice of a kind.</summary>
    public Task<ReceiverNotice> WaitForNoticeAsync(NoticeKind kind)
    {
        var done = new TaskCompletionSource<ReceiverNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        NoticeRaised += n => { if (n.Kind == kind) done.TrySetResult(n); };
        foreach (var n in Notices) if (n.Kind == kind) done.TrySetResult(n);
        return done.Task.WaitAsync(Patience);
    }

    public async Task<List<(string Device, long Seq, string Raw, bool Partial)>> ReadAllAsync()
    {
        var rows = new List<(string, long, string, bool)>();
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT device, seq, raw, partial FROM readings ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3) != 0));
        return rows;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The seed's sketch: connect, println(value), close. Optionally from another loopback source address.</summary>
    public async Task SendPerMessageAsync(string line, IPAddress? from = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null) socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(Tcp).WaitAsync(Patience);
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(line + "\r\n"));
        socket.Shutdown(SocketShutdown.Send);
        // Wait for the server's close so the reading is read before this client counts as done.
        var buffer = new byte[16];
        while (await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Patience) > 0) { }
    }

    public async Task StopAsync() => await Host.StopAsync().WaitAsync(Patience);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDir) try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
