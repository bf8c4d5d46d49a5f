using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Server;

namespace Espwire.Cli.Tests;

/// <summary><c>espwire readings</c> as a user runs it: the note on what was left out, <c>--all</c>, <c>--follow</c>,
/// an unknown <c>--device</c>, and <c>readings devices</c>.</summary>
public sealed class ReadingsFollowTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = Espwire.Testing.TestTimeouts.Patience;
    private ReadingsReceiver? _receiver;

    private string Db => _receiver!.Db;

    public async Task InitializeAsync() => _receiver = await ReadingsReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_receiver is not null) await _receiver.DisposeAsync();
    }

    private Task SendAsync(string datagram, long storedAfter) => _receiver!.SendAsync(datagram, storedAfter);

    private static string Numbers(int from, int count) => string.Join("\n", Enumerable.Range(from, count)) + "\n";

    [Fact]
    public async Task The_default_20_says_how_many_there_are_and_all_shows_every_reading_also_as_csv()
    {
        await SendAsync(Numbers(0, 25), 25);
        var table = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "--db", Db], table, new StringWriter()));
        Assert.Contains("showing the newest 20 of 25 (--all for every reading, --limit N)", table.ToString(), StringComparison.Ordinal);

        var csv = new StringWriter();
        var csvError = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "--db", Db, "--format", "csv"], csv, csvError));
        Assert.Equal(21, csv.ToString().TrimEnd().Split('\n').Length);
        // The note goes to stderr, so the export itself stays clean.
        Assert.Contains("showing the newest 20 of 25", csvError.ToString(), StringComparison.Ordinal);

        var all = new StringWriter();
        var allError = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "--db", Db, "--all", "--format", "csv"], all, allError));
        Assert.Equal(26, all.ToString().TrimEnd().Split('\n').Length);
        Assert.Equal("", allError.ToString());

        var limited = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "--db", Db, "--limit", "5"], limited, new StringWriter()));
        Assert.Contains("showing the newest 5 of 25", limited.ToString(), StringComparison.Ordinal);

        var contradiction = new StringWriter();
        Assert.Equal(ExitCodes.UsageError, await EspwireCli.RunAsync(["readings", "--db", Db, "--all", "--limit", "5"], new StringWriter(), contradiction));
        Assert.Contains("--all and --limit", contradiction.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_device_lists_the_devices_that_exist()
    {
        await SendAsync("@id radar-1\n1\n", 1);
        await SendAsync("@id radar-2\n2\n", 2);
        var error = new StringWriter();
        Assert.Equal(ExitCodes.DeviceError, await EspwireCli.RunAsync(["readings", "--db", Db, "--device", "radar-9"], new StringWriter(), error));
        Assert.Contains("no device 'radar-9'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("radar-1, radar-2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("espwire readings devices", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readings_devices_shows_each_device_with_count_first_and_last_seen()
    {
        await SendAsync("@id radar-1\n1\n2\n3\n", 3);
        await SendAsync("@id counter\n7\n", 4);
        var csv = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "devices", "--db", Db, "--format", "csv"], csv, new StringWriter()));
        var lines = csv.ToString().TrimEnd().Split('\n');
        Assert.Equal("device,count,first_seen,last_seen,last_remote,last_transport,last_raw", lines[0]);
        Assert.StartsWith("counter,1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("radar-1,3,", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(",udp,3", lines[2], StringComparison.Ordinal);
        var table = new StringWriter();
        Assert.Equal(0, await EspwireCli.RunAsync(["readings", "devices", "--db", Db], table, new StringWriter()));
        Assert.Contains("first seen", table.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 device(s).", table.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_prints_new_readings_as_they_arrive_until_cancelled()
    {
        await SendAsync("@id radar-1\nold-1\n", 1);
        var output = new WatchedWriter();
        using var stop = new CancellationTokenSource();
        var run = EspwireCli.RunAsync(["readings", "--db", Db, "--follow", "--format", "csv"], output, new StringWriter(), stop.Token);
        await output.WaitForAsync("old-1", Patience);
        await SendAsync("@id radar-1\nnew-2\nnew-3\n", 3);
        await output.WaitForAsync("new-3", Patience);
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(Patience));
        var lines = output.ToString().TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length); // the header once, then one line per reading, none twice
        Assert.Contains(",radar-1,2,", lines[2], StringComparison.Ordinal);
    }

    /// <summary>A thread-safe output that tells when some text has appeared.</summary>
    private sealed class WatchedWriter : StringWriter
    {
        private readonly Lock _gate = new();
        private readonly List<(string Text, TaskCompletionSource Done)> _waits = [];

        public override void Write(char value) { lock (_gate) { base.Write(value); Check(); } }
        public override void Write(string? value) { lock (_gate) { base.Write(value); Check(); } }
        public override void WriteLine(string? value) { lock (_gate) { base.WriteLine(value); Check(); } }
        public override string ToString() { lock (_gate) return base.ToString(); }

        public Task WaitForAsync(string text, TimeSpan patience)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waits.Add((text, done));
                Check();
            }
            return done.Task.WaitAsync(patience);
        }

        private void Check()
        {
            var now = GetStringBuilder().ToString();
            foreach (var w in _waits.Where(w => now.Contains(w.Text, StringComparison.Ordinal))) w.Done.TrySetResult();
        }
    }
}
