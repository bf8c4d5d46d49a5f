using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Server;
using Espwire.Receiver.Tests.Support;
using Espwire.Testing;

namespace Espwire.Receiver.Tests.Loopback;

/// <summary>A store that cannot write (here: SQLite's max_page_count, a full disk without filling one) makes the
/// receiver wait and stop reading sockets, never lose; it resumes by itself when space is back.</summary>
public sealed class StoreFailureTests
{
    private static async Task SendLinesAsync(TestReceiver receiver, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(receiver.Tcp);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++) text.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
        await socket.SendAsync(Encoding.ASCII.GetBytes(text.ToString()));
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Sends <paramref name="count"/> lines, waits until the store fails and every line is read, stops: the
    /// stop's report, how many readings it counts unwritten, and the file it says they are in.</summary>
    private static async Task<(string Report, long Unwritten, string Path)> StopWhileFailingAsync(TestReceiver receiver, int count)
    {
        await SendLinesAsync(receiver, count);
        await receiver.WaitForNoticeAsync(NoticeKind.StoreWaiting);
        await Eventually.UntilAsync(() => receiver.Host.Stats.ReadingsReceived == count, "every line to be read");
        await receiver.StopAsync();
        var report = receiver.Host.UnwrittenReport;
        Assert.NotNull(report);
        var unwritten = receiver.Host.Stats.ReadingsUnwritten;
        Assert.StartsWith($"{unwritten} readings could not be written", report, StringComparison.Ordinal);
        return (report, unwritten, report.Split(" are in ")[1].Split(" (one JSON")[0]);
    }

    [Fact]
    public async Task A_full_database_waits_with_backpressure_then_resumes_when_space_is_freed_losing_nothing()
    {
        const int count = 20_000;
        await using var receiver = await TestReceiver.StartAsync(o => o with { QueueCapacity = 1_000, BatchSize = 500 });
        var database = receiver.Host.Database!;
        database.LimitPages(database.PageCount() + 3);
        var sending = SendLinesAsync(receiver, count);
        var waiting = await receiver.WaitForNoticeAsync(NoticeKind.StoreWaiting);
        Assert.Contains("full", waiting.Message, StringComparison.Ordinal);
        Assert.Contains("free disk space", waiting.Message, StringComparison.Ordinal);
        Assert.True(receiver.Host.Stats.StoreFailing);
        // The queue fills and the socket is no longer read: backpressure, not loss.
        await Eventually.UntilAsync(() => receiver.Host.Stats.QueueFullWaits > 0, "the session to wait for queue room");
        Assert.True(receiver.Host.Stats.ReadingsReceived < count);
        await Eventually.UntilAsync(() => receiver.Host.Stats.StoreRetries >= 2, "retries");
        // Space is back.
        database.LimitPages(1L << 30);
        await sending.WaitAsync(TestReceiver.Patience);
        await receiver.WaitForStoredAsync(count);
        await receiver.WaitForNoticeAsync(NoticeKind.StoreResumed);
        Assert.False(receiver.Host.Stats.StoreFailing);
        await receiver.StopAsync();
        Assert.Equal(count, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings"));
        Assert.Equal(0, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings WHERE CAST(raw AS INTEGER) != seq - 1 OR id != seq"));
        Assert.Null(receiver.Host.UnwrittenReport);
        Assert.Single(receiver.Notices, n => n.Kind == NoticeKind.StoreWaiting); // once a minute, not per retry
    }

    [Fact]
    public async Task A_stop_while_the_database_is_full_says_how_many_readings_it_could_not_write_and_where_they_are()
    {
        const int count = 3_000;
        await using var receiver = await TestReceiver.StartAsync(o => o with { BatchSize = 500 });
        var database = receiver.Host.Database!;
        database.LimitPages(database.PageCount() + 3);
        var (report, unwritten, path) = await StopWhileFailingAsync(receiver, count);
        Assert.True(unwritten > 0);
        Assert.Equal(Path.GetDirectoryName(receiver.DatabasePath), Path.GetDirectoryName(path));
        var saved = File.ReadAllLines(path).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("raw").GetString()!).ToList();
        Assert.Equal(unwritten, saved.Count);
        var stored = (await receiver.ReadAllAsync()).Select(r => r.Raw).ToList();
        // Between the database and the file: every line, once, in order.
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)), stored.Concat(saved));
        Assert.Single(receiver.Notices, n => n.Kind == NoticeKind.Unwritten);
    }

    [Fact]
    public async Task A_stop_while_the_second_sink_fails_says_the_saved_readings_are_already_in_the_database()
    {
        // /dev/full takes the open and fails every write with ENOSPC: the database commits each batch, the
        // JSON-lines file after it cannot, so what a stop saves is in the database already and must say so.
        const int count = 50;
        await using var receiver = await TestReceiver.StartAsync(o => o with { JsonLinesPath = "/dev/full" });
        var (report, unwritten, path) = await StopWhileFailingAsync(receiver, count);
        Assert.Equal(count, unwritten);
        Assert.EndsWith($"All of them are already in the database {receiver.DatabasePath}: load them only where they are missing.", report, StringComparison.Ordinal);
        Assert.Equal(count, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings"));
        Assert.Equal(count, File.ReadAllLines(path).Length);
    }
}
