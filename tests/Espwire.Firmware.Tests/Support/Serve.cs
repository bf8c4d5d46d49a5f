using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Espwire.Firmware.Tests.Support;

/// <summary>`espwire serve` as a real child process on loopback, with a database that outlives its restarts.</summary>
public sealed partial class Serve : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-serve-").FullName;
    private ChildProcess? _process;

    public string Db => Path.Combine(_dir, "espwire.db");

    public int Port { get; private set; }

    public ChildProcess Process => _process!;

    /// <summary>Starts on port 0 the first time and reads the port back; later on the same port.</summary>
    public async Task StartAsync()
    {
        _process = ChildProcess.Espwire("serve", "--tcp", $"127.0.0.1:{Port}", "--no-udp", "--db", Db);
        await Wait.UntilAsync(() => ListeningLine().IsMatch(_process.Output) || _process.HasExited, "serve to listen", context: () => _process.Output);
        var match = ListeningLine().Match(_process.Output);
        if (!match.Success) throw new InvalidOperationException("espwire serve did not start:\n" + _process.Output);
        Port = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public void Kill() => _process?.Kill();

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
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"Listening '127\.0\.0\.1:(\d+)'")]
    private static partial Regex ListeningLine();
}
