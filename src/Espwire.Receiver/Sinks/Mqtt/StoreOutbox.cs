using Microsoft.Data.Sqlite;

namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The outbox in the receiver's SQLite file: the readings table is the queue (by id, storage order) and
/// <c>mqtt_outbox (client_id, last_id)</c> the cursor, one row per MQTT client id. Its own connection (WAL lets it
/// read while the receiver writes); only the forwarder's task uses it.</summary>
internal sealed class StoreOutbox : IOutbox
{
    /// <summary>The cursor table; created if missing, so it composes with any readings schema version.</summary>
    public const string CreateTable = """
        CREATE TABLE IF NOT EXISTS mqtt_outbox (
            client_id     TEXT    PRIMARY KEY,
            last_id       INTEGER NOT NULL,
            updated_at_us INTEGER NOT NULL
        );
        """;

    private readonly SqliteConnection _connection;
    private readonly string _clientId;
    private readonly bool _valueNames;
    private readonly SqliteCommand _fetch;
    private readonly SqliteCommand _save;
    private readonly SqliteCommand _newest;
    private readonly SqliteCommand _oldest;
    private long _cursor;
    private long _newestId;
    private long _oldestPending = -1;

    private StoreOutbox(SqliteConnection connection, string clientId, bool valueNames)
    {
        _connection = connection;
        _clientId = clientId;
        _valueNames = valueNames;
        _fetch = Command("SELECT id, device, seq, received_at_us, transport, raw, format, value, values_json, partial FROM readings WHERE id > $after ORDER BY id LIMIT $max",
            "$after", "$max");
        _save = Command("INSERT INTO mqtt_outbox (client_id, last_id, updated_at_us) VALUES ($client, $id, $at) " +
            "ON CONFLICT (client_id) DO UPDATE SET last_id = excluded.last_id, updated_at_us = excluded.updated_at_us", "$client", "$id", "$at");
        _newest = Command("SELECT COALESCE(MAX(id), 0) FROM readings");
        _oldest = Command("SELECT received_at_us FROM readings WHERE id > $after ORDER BY id LIMIT 1", "$after");
    }

    public long Cursor => Volatile.Read(ref _cursor);

    public long Newest => Volatile.Read(ref _newestId);

    public long Dropped => 0;

    public long? OldestPendingMicros => Volatile.Read(ref _oldestPending) is var at and >= 0 && Newest > Cursor ? at : null;

    /// <summary>Opens the outbox of <paramref name="clientId"/>. A client id new to this file starts at the newest
    /// stored reading: forwarding covers what is stored from the first start with MQTT on, not the file's history.</summary>
    public static async Task<StoreOutbox> OpenAsync(string path, string clientId, bool valueNames, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var setup = connection.CreateCommand())
            {
                // The writer holds the write lock for a batch at a time; wait for it rather than fail.
                setup.CommandText = "PRAGMA busy_timeout=30000; " + CreateTable;
                await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            var outbox = new StoreOutbox(connection, clientId, valueNames);
            long? saved = null;
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT last_id FROM mqtt_outbox WHERE client_id = $client";
                read.Parameters.AddWithValue("$client", clientId);
                if (await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id) saved = id;
            }
            await outbox.RefreshNewestAsync(cancellationToken).ConfigureAwait(false);
            if (saved is { } cursor) outbox._cursor = cursor;
            else await outbox.SaveCursorAsync(outbox._newestId, cancellationToken).ConfigureAwait(false);
            await outbox.RefreshAsync(cancellationToken).ConfigureAwait(false);
            return outbox;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The store is the queue: new rows are found by id, so there is nothing to keep here.
    public void Added(IReadOnlyList<Readings.Reading> batch) { }

    public async ValueTask<IReadOnlyList<OutboxEntry>> FetchAsync(long afterId, int max, CancellationToken cancellationToken)
    {
        _fetch.Parameters[0].Value = afterId;
        _fetch.Parameters[1].Value = max;
        var entries = new List<OutboxEntry>(Math.Min(max, 1024));
        await using var rows = await _fetch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var device = rows.GetString(1);
            var format = rows.GetString(6);
            double? value = rows.IsDBNull(7) ? null : rows.GetDouble(7);
            var values = rows.IsDBNull(8) ? null : rows.GetString(8);
            var receivedAt = rows.GetInt64(3);
            var payload = OutboxPayload.FromRow(device, rows.GetInt64(2), receivedAt, rows.GetString(4), rows.GetString(5), format,
                value, values, rows.GetInt64(9) != 0);
            entries.Add(new OutboxEntry(rows.GetInt64(0), device, receivedAt, payload, _valueNames ? OutboxPayload.NumericNames(values, format) : []));
        }
        if (entries.Count > 0 && entries[^1].Id > Newest) Volatile.Write(ref _newestId, entries[^1].Id);
        return entries;
    }

    public async ValueTask SaveCursorAsync(long id, CancellationToken cancellationToken)
    {
        _save.Parameters[0].Value = _clientId;
        _save.Parameters[1].Value = id;
        _save.Parameters[2].Value = Readings.Reading.NowMicros();
        await _save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _cursor, id);
    }

    public async ValueTask RefreshAsync(CancellationToken cancellationToken)
    {
        await RefreshNewestAsync(cancellationToken).ConfigureAwait(false);
        _oldest.Parameters[0].Value = Cursor;
        var at = await _oldest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _oldestPending, at is long micros ? micros : -1);
    }

    private async Task RefreshNewestAsync(CancellationToken cancellationToken)
    {
        var newest = await _newest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _newestId, newest is long id ? id : 0);
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _fetch, _save, _newest, _oldest }) await command.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
