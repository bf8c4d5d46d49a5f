namespace Espwire.Receiver.Sinks;

/// <summary>The database layout, documented in docs/receiver-schema.md. Change both together.</summary>
public static class SqliteSchema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS readings (
            id             INTEGER PRIMARY KEY,
            device         TEXT    NOT NULL,
            seq            INTEGER NOT NULL,
            received_at_us INTEGER NOT NULL,
            remote         TEXT    NOT NULL,
            transport      TEXT    NOT NULL,
            raw            TEXT    NOT NULL,
            format         TEXT    NOT NULL,
            value          REAL,
            values_json    TEXT,
            partial        INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS readings_device_seq ON readings (device, seq);
        CREATE TABLE IF NOT EXISTS schema_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT OR IGNORE INTO schema_info (key, value) VALUES ('version', '1');
        """;

    public const string Insert = """
        INSERT INTO readings (device, seq, received_at_us, remote, transport, raw, format, value, values_json, partial)
        VALUES ($device, $seq, $at, $remote, $transport, $raw, $format, $value, $values, $partial)
        """;

    /// <summary>Parameters per row of <see cref="Insert"/>.</summary>
    public const int InsertColumns = 10;

    /// <summary>Rows per <see cref="InsertMany"/>: 640 parameters, far below SQLite's limit of 32,766.</summary>
    public const int RowsPerInsert = 64;

    /// <summary><see cref="Insert"/> for <see cref="RowsPerInsert"/> rows at once, with numbered parameters
    /// (?1..?10 for the first row, ?11..?20 for the second...) in the same column order.</summary>
    public static readonly string InsertMany =
        "INSERT INTO readings (device, seq, received_at_us, remote, transport, raw, format, value, values_json, partial) VALUES " +
        string.Join(",", Enumerable.Range(0, RowsPerInsert).Select(row =>
            "(" + string.Join(",", Enumerable.Range(1, InsertColumns).Select(column => "?" + (row * InsertColumns + column))) + ")"));
}
