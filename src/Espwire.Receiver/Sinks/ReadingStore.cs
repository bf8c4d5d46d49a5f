using Microsoft.Data.Sqlite;

namespace Espwire.Receiver.Sinks;

/// <summary>Reads stored readings back from a receiver database (read-only; safe while a receiver writes, thanks to WAL).
/// The one place the questions of <c>espwire readings</c> and the HTTP API are asked of the store.</summary>
public static class ReadingStore
{
    private const string Columns = "id, device, seq, received_at_us, remote, transport, raw, format, value, values_json, partial";

    /// <summary>The readings matching <paramref name="query"/>: the newest <see cref="ReadingQuery.Limit"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<StoredReading>> QueryAsync(string path, ReadingQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = Where(command, query);
        if (query.Limit is { } limit)
        {
            command.Parameters.AddWithValue("$limit", limit);
            command.CommandText = $"SELECT * FROM (SELECT {Columns} FROM readings {where} ORDER BY id DESC LIMIT $limit) ORDER BY id";
        }
        else
        {
            command.CommandText = $"SELECT {Columns} FROM readings {where} ORDER BY id";
        }
        var result = new List<StoredReading>();
        await ReadAsync(path, command, rows => result.Add(Row(rows)), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>How many stored readings match <paramref name="query"/> (its limit aside).</summary>
    public static async Task<long> CountAsync(string path, ReadingQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM readings {Where(command, query)}";
        long count = 0;
        await ReadAsync(path, command, rows => count = rows.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Every device in the store with its count, first and last seen and newest line, by name.</summary>
    public static async Task<IReadOnlyList<DeviceSummary>> DevicesAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.device, d.n, d.first_us, d.last_us, r.raw, r.remote, r.transport
            FROM (SELECT device, COUNT(*) AS n, MIN(received_at_us) AS first_us, MAX(received_at_us) AS last_us, MAX(id) AS last_id
                  FROM readings GROUP BY device) AS d
            JOIN readings AS r ON r.id = d.last_id
            ORDER BY d.device
            """;
        var result = new List<DeviceSummary>();
        await ReadAsync(path, command, rows => result.Add(new DeviceSummary(rows.GetString(0), rows.GetInt64(1),
            StoredReading.TimeOf(rows.GetInt64(2)), StoredReading.TimeOf(rows.GetInt64(3)),
            rows.GetString(4), rows.GetString(5), rows.GetString(6))), cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static async Task<SqliteConnection> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No receiver database at '{path}'.", path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Where(SqliteCommand command, ReadingQuery query)
    {
        var where = new List<string>();
        if (query.Device is not null)
        {
            where.Add("device = $device");
            command.Parameters.AddWithValue("$device", query.Device);
        }
        if (query.Since is { } since)
        {
            where.Add("received_at_us >= $since");
            command.Parameters.AddWithValue("$since", StoredReading.MicrosOf(since));
        }
        if (query.Until is { } until)
        {
            where.Add("received_at_us < $until");
            command.Parameters.AddWithValue("$until", StoredReading.MicrosOf(until));
        }
        if (query.AfterId is { } after)
        {
            where.Add("id > $after");
            command.Parameters.AddWithValue("$after", after);
        }
        return where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "";
    }

    private static async Task ReadAsync(string path, SqliteCommand command, Action<SqliteDataReader> row, CancellationToken cancellationToken)
    {
        try
        {
            await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) row(rows);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            throw new InvalidDataException($"'{path}' is not an Espwire receiver database (no readings table): {e.Message}", e);
        }
    }

    private static StoredReading Row(SqliteDataReader rows) =>
        new(rows.GetInt64(0), rows.GetString(1), rows.GetInt64(2), rows.GetInt64(3),
            rows.GetString(4), rows.GetString(5), rows.GetString(6), rows.GetString(7),
            rows.IsDBNull(8) ? null : rows.GetDouble(8), rows.IsDBNull(9) ? null : rows.GetString(9), rows.GetInt64(10) != 0);
}
