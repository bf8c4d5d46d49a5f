using System.CommandLine;
using Espwire.Cli.Receiver;
using Espwire.Receiver.Sinks;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire readings</c>: what the receiver stored.</summary>
internal static class ReadingsCommand
{
    /// <summary>The verb's options, kept together so parse tests can build the query.</summary>
    internal sealed class Definition
    {
        public Option<string> Db { get; } = new("--db") { Description = "The receiver's SQLite file.", HelpName = "PATH", DefaultValueFactory = _ => "espwire.db" };
        public Option<string?> Device { get; } = new("--device", "-d") { Description = "Only this device: its IP (e.g. 192.168.0.138) or the id it declared (@id radar-1)." };
        public Option<string?> Since { get; } = new("--since") { Description = "Only readings received since a time (2026-11-25T21:00:00Z) or an age (90s, 15m, 2h, 7d).", HelpName = "T" };
        public Option<int> Limit { get; } = new("--limit", "-n") { Description = "Show the newest N readings (oldest first).", DefaultValueFactory = _ => 20 };
        public Option<ReadingsFormat> Format { get; } = new("--format") { Description = "table, csv or json.", DefaultValueFactory = _ => ReadingsFormat.Table };

        public ReadingQuery ToQuery(ParseResult parse, DateTimeOffset now)
        {
            var limit = parse.GetValue(Limit);
            if (limit < 1) throw new UsageException("--limit must be at least 1, e.g. --limit 100.");
            return new ReadingQuery
            {
                Device = parse.GetValue(Device),
                Since = parse.GetValue(Since) is { } since ? SinceParser.Parse(since, now) : null,
                Limit = limit,
            };
        }
    }

    public static Command Create() => Create(out _);

    internal static Command Create(out Definition definition)
    {
        var d = definition = new Definition();
        var command = new Command("readings",
            "Show readings the receiver stored, newest N, oldest first.\n\n" +
            "Examples:\n" +
            "  espwire readings                                  the last 20 readings in espwire.db\n" +
            "  espwire readings --device radar-1 --since 15m     one device, the last 15 minutes\n" +
            "  espwire readings --limit 1000 --format csv > r.csv\n" +
            "  espwire readings --db /var/lib/espwire.db --format json")
        {
            d.Db, d.Device, d.Since, d.Limit, d.Format,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(d, parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Definition d, ParseResult parse, CancellationToken cancellationToken)
    {
        var query = d.ToQuery(parse, DateTimeOffset.UtcNow);
        var db = parse.GetValue(d.Db)!;
        var error = parse.InvocationConfiguration.Error;
        IReadOnlyList<StoredReading> rows;
        try
        {
            rows = await ReadingStore.QueryAsync(db, query, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            await error.WriteLineAsync($"espwire readings: no database at '{db}'. Start the receiver first (espwire serve), or point to its file with --db PATH.").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (Exception e) when (e is InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
        {
            await error.WriteLineAsync($"espwire readings: cannot read '{db}': {e.Message}. Is it a file written by espwire serve?").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        ReadingsRenderer.Write(parse.InvocationConfiguration.Output, rows, parse.GetValue(d.Format));
        return ExitCodes.Ok;
    }
}
