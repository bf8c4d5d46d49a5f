using System.Globalization;
using System.Text;
using Espwire.Receiver.Readings;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Espwire.Receiver.Sinks;

/// <summary>Stores readings in an SQLite file: WAL journal, one transaction per batch, one prepared insert.</summary>
public sealed class SqliteReadingSink : IReadingSink
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _insert;
    private readonly StringBuilder _json = new();
    private System.Net.IPEndPoint? _lastRemote;
    private string _lastRemoteText = "";

    private SqliteReadingSink(SqliteConnection connection)
    {
        _connection = connection;
        // The raw prepared statement: Microsoft.Data.Sqlite's command layer costs more per row than SQLite's insert itself.
        var rc = raw.sqlite3_prepare_v2(connection.Handle, SqliteSchema.Insert, out _insert);
        Check(rc);
    }

    /// <summary>The last stored sequence number of every device, so numbering continues across restarts.</summary>
    public IReadOnlyDictionary<string, long> LastSequences { get; private set; } = new Dictionary<string, long>();

    public static async Task<SqliteReadingSink> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var pragma = connection.CreateCommand())
            {
                // WAL lets `espwire readings` read while the receiver writes; with WAL, NORMAL keeps the file consistent
                // on power loss (the last commits may be lost) without an fsync per transaction.
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; " + SqliteSchema.Create;
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            var sink = new SqliteReadingSink(connection);
            var last = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var query = connection.CreateCommand())
            {
                query.CommandText = "SELECT device, MAX(seq) FROM readings GROUP BY device";
                await using var rows = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) last[rows.GetString(0)] = rows.GetInt64(1);
            }
            sink.LastSequences = last;
            return sink;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        // Synchronous on purpose: SQLite has no async I/O, and this runs on the writer's own task.
        using var transaction = _connection.BeginTransaction();
        foreach (var reading in batch)
        {
            // A connection's readings share one endpoint object: format it once, not per row.
            if (!ReferenceEquals(reading.Remote, _lastRemote))
            {
                _lastRemote = reading.Remote;
                _lastRemoteText = reading.Remote.ToString();
            }
            // Parameters in the order of SqliteSchema.Insert.
            raw.sqlite3_bind_text(_insert, 1, reading.Device);
            raw.sqlite3_bind_int64(_insert, 2, reading.Sequence);
            raw.sqlite3_bind_int64(_insert, 3, reading.ReceivedAtMicros);
            raw.sqlite3_bind_text(_insert, 4, _lastRemoteText);
            raw.sqlite3_bind_text(_insert, 5, reading.Transport == Transport.Tcp ? "tcp" : "udp");
            raw.sqlite3_bind_text(_insert, 6, reading.Raw);
            raw.sqlite3_bind_text(_insert, 7, FormatName(reading.Format));
            if (reading.FirstValue is { } first) raw.sqlite3_bind_double(_insert, 8, first);
            else raw.sqlite3_bind_null(_insert, 8);
            if (reading.Format is ReadingFormat.Number or ReadingFormat.Text) raw.sqlite3_bind_null(_insert, 9);
            else raw.sqlite3_bind_text(_insert, 9, ValuesJson(reading.Values));
            raw.sqlite3_bind_int64(_insert, 10, (reading.Flags & ReadingFlags.Partial) != 0 ? 1 : 0);
            var rc = raw.sqlite3_step(_insert);
            raw.sqlite3_reset(_insert);
            if (rc != raw.SQLITE_DONE) Check(rc);
        }
        transaction.Commit();
        return ValueTask.CompletedTask;
    }

    private void Check(int rc)
    {
        if (rc is raw.SQLITE_OK or raw.SQLITE_DONE) return;
        throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_connection.Handle).utf8_to_string()}", rc);
    }

    internal static string FormatName(ReadingFormat format) => format switch
    {
        ReadingFormat.Number => "number",
        ReadingFormat.KeyValue => "kv",
        ReadingFormat.Csv => "csv",
        ReadingFormat.Json => "json",
        _ => "text",
    };

    private string ValuesJson(IReadOnlyList<ReadingValue> values)
    {
        _json.Clear().Append('{');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) _json.Append(',');
            _json.Append(System.Text.Json.JsonSerializer.Serialize(values[i].Name)).Append(':')
                .Append(double.IsFinite(values[i].Value) ? values[i].Value.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        return _json.Append('}').ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _insert.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
