using Espwire.Cli;
using Espwire.Receiver.Sinks;

namespace Espwire.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_runs_the_seed_end_to_end_and_stores_every_module_s_readings()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-demo-test-");
        try
        {
            var db = Path.Combine(dir.FullName, "demo.db");
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await EspwireCli.RunAsync(
                ["demo", "--port", "0", "--count", "3", "--time-scale", "0.02", "--interval", "0.05", "--readings", "12", "--db", db],
                output, error).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
            var text = output.ToString();
            Assert.Contains("Listening '127.0.0.1:", text, StringComparison.Ordinal);
            Assert.Contains("Accepted connection from ('127.0.0.1', ", text, StringComparison.Ordinal);
            Assert.Contains("Received data : 0", text, StringComparison.Ordinal);

            var stored = await ReadingStore.QueryAsync(db, new ReadingQuery { Limit = 1000 });
            Assert.True(stored.Count >= 12, $"{stored.Count} readings stored");
            // The seed's counter module is known by its address and counts 0, 1, 2, ...: every number once, none
            // missing. Not in storage order: it opens one plain connection per reading, like the seed, and two
            // connections close together can be stored either way round (a stressed run stored 0, 2, 4, 1, 3).
            var counter = stored.Where(r => r.Device == "127.0.0.1").Select(r => int.Parse(r.Raw, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
            Assert.NotEmpty(counter);
            Assert.Equal(Enumerable.Range(0, counter.Count), counter);
            // The radar modules name themselves and send key=value readings.
            Assert.All(stored.Where(r => r.Device != "127.0.0.1"), r =>
            {
                Assert.StartsWith("radar-", r.Device, StringComparison.Ordinal);
                Assert.Matches(@"^distance=-?\d+\.\d+,velocity=-?\d+\.\d+$", r.Raw);
            });
            // The summary table names every device that sent.
            foreach (var device in stored.Select(r => r.Device).Distinct())
                Assert.Contains(device, text, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--count", "0")]
    [InlineData("--interval", "0")]
    [InlineData("--time-scale", "0")]
    [InlineData("--readings", "0")]
    public async Task Bad_values_are_usage_errors(string option, string value)
    {
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(["demo", option, value], new StringWriter(), error);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(option, error.ToString(), StringComparison.Ordinal);
    }
}
