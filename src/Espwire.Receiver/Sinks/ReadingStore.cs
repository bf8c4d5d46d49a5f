using Microsoft.Data.Sqlite;

namespace Espwire.Receiver.Sinks;

/// <summary>Reads stored readings back from a receiver database (read-only; safe while a receiver writes, thanks to WAL).</summary>
public static class ReadingStore
{
    public static async Task<IReadOnlyList<StoredReading>> QueryAsync(string path, ReadingQuery query, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No receiver database at '{path}'.", path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Device is not null)
        {
            where.Add("device = $device");
            command.Parameters.AddWithValue("$device", query.Device);
        }
        if (query.Since is { } since)
        {
            where.Add("received_at_us >= $since");
            command.Parameters.AddWithValue("$since", (since.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        }
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = $"""
            SELECT * FROM (
              SELECT id, device, seq, received_at_us, remote, transport, raw, format, value, values_json, partial
              FROM readings {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
              ORDER BY id DESC LIMIT $limit)
            ORDER BY id
            """;
        var result = new List<StoredReading>();
        try
        {
            await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(new StoredReading(rows.GetInt64(0), rows.GetString(1), rows.GetInt64(2), rows.GetInt64(3),
                    rows.GetString(4), rows.GetString(5), rows.GetString(6), rows.GetString(7),
                    rows.IsDBNull(8) ? null : rows.GetDouble(8), rows.IsDBNull(9) ? null : rows.GetString(9), rows.GetInt64(10) != 0));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            throw new InvalidDataException($"'{path}' is not an Espwire receiver database (no readings table): {e.Message}", e);
        }
        return result;
    }
}
