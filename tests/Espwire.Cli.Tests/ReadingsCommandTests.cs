using System.Net;
using Espwire.Cli.Commands;
using Espwire.Cli.Receiver;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Server;

namespace Espwire.Cli.Tests;

public sealed class ReadingsCommandTests
{
    [Fact]
    public void Query_options_parse_ages_times_and_limits()
    {
        var now = new DateTimeOffset(2026, 11, 25, 21, 0, 0, TimeSpan.Zero);
        var command = ReadingsCommand.Create(out var definition);
        var query = definition.ToQuery(command.Parse("--device radar-1 --since 15m --limit 5"), now);
        Assert.Equal(("radar-1", now.AddMinutes(-15), 5), (query.Device, query.Since, query.Limit));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.Zero), SinceParser.Parse("2026-11-25T20:00:00Z", now));
        Assert.Throws<UsageException>(() => SinceParser.Parse("yesterday-ish", now));
        Assert.Throws<UsageException>(() => definition.ToQuery(command.Parse("--limit 0"), now));
    }

    [Fact]
    public async Task A_missing_database_is_a_clear_error()
    {
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(["readings", "--db", Path.Combine(Path.GetTempPath(), "espwire-none", "x.db")], new StringWriter(), error);
        Assert.Equal(ExitCodes.DeviceError, code);
        Assert.Contains("espwire serve", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_readings_come_back_as_csv_and_json()
    {
        await using var receiver = await ReadingsReceiver.StartAsync();
        var db = receiver.Db;
        await receiver.SendAsync("581\n@id radar-1\nt=1.5,h=2", storedAfter: 2);
        await receiver.StopAsync();
        var csv = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "--db", db, "--format", "csv", "--device", "radar-1"], csv, new StringWriter()));
        var lines = csv.ToString().Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(",radar-1,1,127.0.0.1:", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",udp,\"t=1.5,h=2\",kv,1.5,\"{\"\"t\"\":1.5,\"\"h\"\":2}\",0", lines[1].Trim(), StringComparison.Ordinal);
        var json = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "--db", db, "--format", "json"], json, new StringWriter()));
        using var doc = System.Text.Json.JsonDocument.Parse(json.ToString());
        Assert.Equal(["581", "t=1.5,h=2"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("raw").GetString()));
    }
}
