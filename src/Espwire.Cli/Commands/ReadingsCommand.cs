using System.CommandLine;
using Espwire.Cli.Receiver;
using Espwire.Receiver.Sinks;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire readings</c>: what the receiver stored; <c>espwire readings devices</c>: who sent it.</summary>
internal static class ReadingsCommand
{
    /// <summary>How often <c>--follow</c> looks for new rows: a glance at an index, cheap next to the receiver's writes.</summary>
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>The verb's options, kept together so parse tests can build the query.</summary>
    internal sealed class Definition
    {
        public Option<string> Db { get; } = new("--db") { Description = "The receiver's SQLite file.", HelpName = "PATH", DefaultValueFactory = _ => "espwire.db" };
        public Option<string?> Device { get; } = new("--device", "-d") { Description = "Only this device: its IP (e.g. 192.168.0.138) or the id it declared (@id radar-1)." };
        public Option<string?> Since { get; } = new("--since") { Description = "Only readings received since a time (2026-11-25T21:00:00Z) or an age (90s, 15m, 2h, 7d).", HelpName = "T" };
        public Option<int?> Limit { get; } = new("--limit", "-n") { Description = "Show the newest N readings (oldest first); default 20.", HelpName = "N" };
        public Option<bool> All { get; } = new("--all") { Description = "Show every matching reading, not only the newest 20 (for exports: --all --format csv > r.csv)." };
        public Option<bool> Follow { get; } = new("--follow", "-f") { Description = "Keep printing new readings as they arrive, like tail -f; Ctrl+C stops." };
        public Option<ReadingsFormat> Format { get; } = new("--format") { Description = "table, csv or json.", DefaultValueFactory = _ => ReadingsFormat.Table };

        public ReadingQuery ToQuery(ParseResult parse, DateTimeOffset now)
        {
            var limit = parse.GetValue(Limit);
            var all = parse.GetValue(All);
            if (all && limit is not null) throw new UsageException("--all and --limit contradict each other; give one of them.");
            if (limit < 1) throw new UsageException("--limit must be at least 1, e.g. --limit 100; for every reading use --all.");
            return new ReadingQuery
            {
                Device = parse.GetValue(Device),
                Since = parse.GetValue(Since) is { } since ? SinceParser.Parse(since, now) : null,
                Limit = all ? null : limit ?? 20,
            };
        }
    }

    public static Command Create() => Create(out _);

    internal static Command Create(out Definition definition)
    {
        var d = definition = new Definition();
        var command = new Command("readings",
            "Show readings the receiver stored, newest 20 by default, oldest first; it says when there are more.\n\n" +
            "Examples:\n" +
            "  espwire readings                                  the last 20 readings in espwire.db\n" +
            "  espwire readings --device radar-1 --since 15m     one device, the last 15 minutes\n" +
            "  espwire readings --all --format csv > r.csv       every reading, as CSV\n" +
            "  espwire readings --follow                         the last 20, then new ones as they arrive (Ctrl+C stops)\n" +
            "  espwire readings devices                          each device with its count, first and last seen\n" +
            "  espwire readings --db /var/lib/espwire.db --format json")
        {
            d.Db, d.Device, d.Since, d.Limit, d.All, d.Follow, d.Format,
        };
        command.Subcommands.Add(CreateDevices());
        command.SetAction((parse, cancellationToken) => RunAsync(d, parse, cancellationToken));
        return command;
    }

    private static Command CreateDevices()
    {
        var db = new Option<string>("--db") { Description = "The receiver's SQLite file.", HelpName = "PATH", DefaultValueFactory = _ => "espwire.db" };
        var format = new Option<ReadingsFormat>("--format") { Description = "table, csv or json.", DefaultValueFactory = _ => ReadingsFormat.Table };
        var command = new Command("devices",
            "List every device in the store: how many readings, when first and last seen, and its newest line.\n\n" +
            "Examples:\n" +
            "  espwire readings devices\n" +
            "  espwire readings devices --db demo.db --format csv")
        {
            db, format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(db)!;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var devices = await ReadingStore.DevicesAsync(path, cancellationToken).ConfigureAwait(false);
                ReadingsRenderer.WriteDevices(parse.InvocationConfiguration.Output, devices, parse.GetValue(format));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (StoreProblem(e))
            {
                await error.WriteLineAsync(Explain("espwire readings devices", path, e)).ConfigureAwait(false);
                return ExitCodes.DeviceError;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(Definition d, ParseResult parse, CancellationToken cancellationToken)
    {
        var query = d.ToQuery(parse, DateTimeOffset.UtcNow);
        var db = parse.GetValue(d.Db)!;
        var format = parse.GetValue(d.Format);
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        IReadOnlyList<StoredReading> rows;
        long total;
        try
        {
            rows = await ReadingStore.QueryAsync(db, query, cancellationToken).ConfigureAwait(false);
            total = query.Limit is null ? rows.Count : await ReadingStore.CountAsync(db, query, cancellationToken).ConfigureAwait(false);
            if (total == 0 && query.Device is { } device && !parse.GetValue(d.Follow))
            {
                var devices = await ReadingStore.DevicesAsync(db, cancellationToken).ConfigureAwait(false);
                if (devices.All(x => x.Device != device))
                {
                    await error.WriteLineAsync(NoSuchDevice(device, db, devices)).ConfigureAwait(false);
                    return ExitCodes.DeviceError;
                }
            }
        }
        catch (Exception e) when (StoreProblem(e))
        {
            await error.WriteLineAsync(Explain("espwire readings", db, e)).ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        ReadingsRenderer.Write(output, rows, format);
        if (rows.Count < total)
        {
            // Under a table it is part of the answer; under CSV or JSON it goes to stderr, so exports stay clean.
            var shown = ReadingsRenderer.Shown(rows.Count, total);
            if (format == ReadingsFormat.Table) await output.WriteLineAsync(shown).ConfigureAwait(false);
            else await error.WriteLineAsync(shown).ConfigureAwait(false);
        }
        if (!parse.GetValue(d.Follow)) return ExitCodes.Ok;
        return await FollowAsync(db, query, rows.Count > 0 ? rows[^1].Id : await LastIdAsync(db, cancellationToken).ConfigureAwait(false),
            format, output, error, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> FollowAsync(string db, ReadingQuery query, long after, ReadingsFormat format, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (format == ReadingsFormat.Table) await error.WriteLineAsync("following new readings; Ctrl+C stops").ConfigureAwait(false);
        using var timer = new PeriodicTimer(FollowPoll);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var fresh = await ReadingStore.QueryAsync(db, query with { AfterId = after, Limit = null }, cancellationToken).ConfigureAwait(false);
                if (fresh.Count == 0) continue;
                ReadingsRenderer.WriteFollowed(output, fresh, format);
                after = fresh[^1].Id;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the normal end of --follow.
        }
        catch (Exception e) when (StoreProblem(e))
        {
            await error.WriteLineAsync(Explain("espwire readings --follow", db, e)).ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        return ExitCodes.Ok;
    }

    /// <summary>The newest row id, so an empty start still follows only what arrives from now on.</summary>
    private static async Task<long> LastIdAsync(string db, CancellationToken cancellationToken)
    {
        var newest = await ReadingStore.QueryAsync(db, new ReadingQuery { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return newest.Count > 0 ? newest[0].Id : 0;
    }

    internal static string NoSuchDevice(string device, string db, IReadOnlyList<DeviceSummary> devices)
    {
        if (devices.Count == 0) return $"espwire readings: no device '{device}' in '{db}': it holds no readings yet. Start the receiver (espwire serve) and send some.";
        const int Most = 20;
        var names = string.Join(", ", devices.Take(Most).Select(x => x.Device));
        var more = devices.Count > Most ? $" and {devices.Count - Most} more" : "";
        return $"espwire readings: no device '{device}' in '{db}'. Devices there: {names}{more}.\n" +
            "  next: espwire readings --device NAME, or espwire readings devices for counts and times.";
    }

    private static bool StoreProblem(Exception e) => e is FileNotFoundException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException;

    private static string Explain(string verb, string db, Exception e) => e is FileNotFoundException
        ? $"{verb}: no database at '{db}'. Start the receiver first (espwire serve), or point to its file with --db PATH."
        : $"{verb}: cannot read '{db}': {e.Message}. Is it a file written by espwire serve?";
}
