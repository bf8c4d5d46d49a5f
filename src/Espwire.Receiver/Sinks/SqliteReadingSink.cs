using System.Globalization;
using System.Text;
using Espwire.Receiver.Readings;
using Microsoft.Data.Sqlite;

namespace Espwire.Receiver.Sinks;

/// <summary>Stores readings in an SQLite file: WAL journal, one transaction per batch, one prepared insert.</summary>
public sealed class SqliteReadingSink : IReadingSink
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _device, _seq, _at, _remote, _transport, _raw, _format, _value, _values, _partial;
    private readonly StringBuilder _json = new();
    private System.Net.IPEndPoint? _lastRemote;
    private string _lastRemoteText = "";

    private SqliteReadingSink(SqliteConnection connection)
    {
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = SqliteSchema.Insert;
        _device = _insert.Parameters.Add("$device", SqliteType.Text);
        _seq = _insert.Parameters.Add("$seq", SqliteType.Integer);
        _at = _insert.Parameters.Add("$at", SqliteType.Integer);
        _remote = _insert.Parameters.Add("$remote", SqliteType.Text);
        _transport = _insert.Parameters.Add("$transport", SqliteType.Text);
        _raw = _insert.Parameters.Add("$raw", SqliteType.Text);
        _format = _insert.Parameters.Add("$format", SqliteType.Text);
        _value = _insert.Parameters.Add("$value", SqliteType.Real);
        _values = _insert.Parameters.Add("$values", SqliteType.Text);
        _partial = _insert.Parameters.Add("$partial", SqliteType.Integer);
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
            sink._insert.Prepare();
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
        // Synchronous on purpose: Microsoft.Data.Sqlite has no real async I/O, and this runs on the writer's own task.
        using var transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        foreach (var reading in batch)
        {
            _device.Value = reading.Device;
            _seq.Value = reading.Sequence;
            _at.Value = reading.ReceivedAtMicros;
            // A connection's readings share one endpoint object: format it once, not per row.
            if (!ReferenceEquals(reading.Remote, _lastRemote))
            {
                _lastRemote = reading.Remote;
                _lastRemoteText = reading.Remote.ToString();
            }
            _remote.Value = _lastRemoteText;
            _transport.Value = reading.Transport == Transport.Tcp ? "tcp" : "udp";
            _raw.Value = reading.Raw;
            _format.Value = FormatName(reading.Format);
            _value.Value = reading.FirstValue is { } first ? first : DBNull.Value;
            _values.Value = reading.Format is ReadingFormat.Number or ReadingFormat.Text ? DBNull.Value : ValuesJson(reading.Values);
            _partial.Value = (reading.Flags & ReadingFlags.Partial) != 0 ? 1L : 0L;
            _insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return ValueTask.CompletedTask;
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
        await _insert.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
