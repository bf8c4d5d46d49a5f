using Microsoft.Data.Sqlite;

namespace Espwire.Cli.Devices;

/// <summary>
/// The devices in a receiver's database (docs/receiver-schema.md, table readings), newest first. A small read-only
/// query of its own: the receiver's ReadingStore answers reading queries, not per-device summaries.
/// </summary>
internal static class SeenDevices
{
    private const int Limit = 1000;

    public static async Task<IReadOnlyList<SeenDevice>> QueryAsync(string path, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly };
        var connection = new SqliteConnection(builder.ToString());
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = """
                    SELECT device, MAX(received_at_us) AS last_us, COUNT(*) AS n,
                           (SELECT remote FROM readings r2 WHERE r2.device = r.device ORDER BY received_at_us DESC LIMIT 1)
                    FROM readings r GROUP BY device ORDER BY last_us DESC LIMIT $limit
                    """;
                command.Parameters.AddWithValue("$limit", Limit);
                var rows = new List<SeenDevice>();
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        rows.Add(new SeenDevice(reader.GetString(0), reader.IsDBNull(3) ? "" : reader.GetString(3),
                            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1) / 1000), reader.GetInt64(2)));
                    }
                }
                return rows;
            }
        }
    }
}
