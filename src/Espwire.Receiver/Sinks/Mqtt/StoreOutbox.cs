using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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
    private readonly sqlite3_stmt _fetch;
    private readonly ArrayBufferWriter<byte> _unused = new(1);
    private readonly Utf8JsonWriter _json;
    private byte[] _lastDeviceUtf8 = [];
    private string _lastDevice = "";
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
        // The raw statement: Microsoft.Data.Sqlite's reader makes a string of every text column, and the payload
        // only needs their UTF-8 bytes, which SQLite has already.
        var rc = raw.sqlite3_prepare_v2(connection.Handle,
            "SELECT id, device, seq, received_at_us, transport, raw, format, value, values_json, partial FROM readings WHERE id > ?1 ORDER BY id LIMIT ?2",
            out _fetch);
        if (rc != raw.SQLITE_OK) throw new SqliteException($"preparing the outbox query failed: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}", rc);
        _json = new Utf8JsonWriter(_unused, Readings.ReadingJson.WriterOptions);
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

    public ValueTask<IReadOnlyList<OutboxEntry>> FetchAsync(long afterId, int max, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Every payload of the batch goes into one buffer; the entries are slices of it (made once it stops growing).
        var buffer = new ArrayBufferWriter<byte>(Math.Min(max, 4096) * 192);
        var rows = new List<(long Id, string Device, long ReceivedAt, int Start, int Length, IReadOnlyList<string> Names)>(Math.Min(max, 4096));
        raw.sqlite3_bind_int64(_fetch, 1, afterId);
        raw.sqlite3_bind_int64(_fetch, 2, max);
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_fetch)) == raw.SQLITE_ROW)
            {
                var id = raw.sqlite3_column_int64(_fetch, 0);
                var device = Device(raw.sqlite3_column_blob(_fetch, 1));
                var receivedAt = raw.sqlite3_column_int64(_fetch, 3);
                double? value = raw.sqlite3_column_type(_fetch, 7) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(_fetch, 7);
                var hasValues = raw.sqlite3_column_type(_fetch, 8) != raw.SQLITE_NULL;
                var values = raw.sqlite3_column_blob(_fetch, 8);
                var format = raw.sqlite3_column_blob(_fetch, 6);
                var start = buffer.WrittenCount;
                _json.Reset(buffer);
                OutboxPayload.WriteRow(_json, raw.sqlite3_column_blob(_fetch, 1), raw.sqlite3_column_int64(_fetch, 2), receivedAt,
                    raw.sqlite3_column_blob(_fetch, 4), raw.sqlite3_column_blob(_fetch, 5), format, value, values, hasValues,
                    raw.sqlite3_column_int64(_fetch, 9) != 0);
                _json.Flush();
                IReadOnlyList<string> names = _valueNames
                    ? OutboxPayload.NumericNames(hasValues ? Encoding.UTF8.GetString(values) : null, Encoding.UTF8.GetString(format))
                    : [];
                rows.Add((id, device, receivedAt, start, buffer.WrittenCount - start, names));
            }
            if (rc != raw.SQLITE_DONE) throw new SqliteException($"reading the outbox failed: {raw.sqlite3_errmsg(_connection.Handle).utf8_to_string()}", rc);
        }
        finally
        {
            raw.sqlite3_reset(_fetch);
            _json.Reset(_unused);
        }
        var payloads = buffer.WrittenMemory;
        var entries = new OutboxEntry[rows.Count];
        for (var i = 0; i < rows.Count; i++)
            entries[i] = new OutboxEntry(rows[i].Id, rows[i].Device, rows[i].ReceivedAt, payloads.Slice(rows[i].Start, rows[i].Length), rows[i].Names);
        if (entries.Length > 0 && entries[^1].Id > Newest) Volatile.Write(ref _newestId, entries[^1].Id);
        return ValueTask.FromResult<IReadOnlyList<OutboxEntry>>(entries);
    }

    /// <summary>The device as a string, the previous row's when the bytes are the same (runs of one device are the rule).</summary>
    private string Device(ReadOnlySpan<byte> utf8)
    {
        if (utf8.SequenceEqual(_lastDeviceUtf8)) return _lastDevice;
        _lastDeviceUtf8 = utf8.ToArray();
        return _lastDevice = Encoding.UTF8.GetString(utf8);
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
        _fetch.Dispose();
        await _json.DisposeAsync().ConfigureAwait(false);
        foreach (var command in new[] { _save, _newest, _oldest }) await command.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
