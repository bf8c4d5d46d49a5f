using Espwire.Testing;
using Microsoft.Data.Sqlite;

namespace Espwire.Firmware.Tests.Support;

/// <summary>`espwire serve` as a real child process on loopback, with a database that outlives its restarts. Its port
/// is held by the test from the start (<see cref="HeldPort"/>), so a restart after a kill gets the same port back:
/// no other test's listener is given it while serve is down, and the devices reconnect to the port they know.</summary>
public sealed class Serve : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-serve-").FullName;
    private readonly HeldPort _port = HeldPort.Tcp();
    private ChildProcess? _process;

    public string Db => Path.Combine(_dir, "espwire.db");

    public int Port => _port.Port;

    public ChildProcess Process => _process!;

    /// <summary>Starts serve on the held port (again after a kill).</summary>
    public async Task StartAsync()
    {
        _process?.Dispose();
        _process = ChildProcess.Espwire("serve", "--tcp", $"127.0.0.1:{Port}", "--no-udp", "--db", Db);
        var (tcp, _) = await _process.WaitUntilListeningAsync();
        Assert.Equal(Port, tcp.Single().Port);
    }

    /// <summary>SIGKILL, as a crash: the database keeps what was committed.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    /// <summary>The stored readings of one device, in the order they were stored.</summary>
    public IReadOnlyList<(long Seq, string Raw)> Stored(string device)
    {
        if (!File.Exists(Db)) return [];
        try
        {
            using var connection = new SqliteConnection($"Data Source={Db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, raw FROM readings WHERE device = $d ORDER BY id";
            command.Parameters.AddWithValue("$d", device);
            using var reader = command.ExecuteReader();
            var rows = new List<(long, string)>();
            while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetString(1)));
            return rows;
        }
        catch (SqliteException)
        {
            return [];  // not created yet
        }
    }

    public void Dispose()
    {
        _process?.Dispose();
        _port.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
