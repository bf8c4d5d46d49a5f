using System.Text.Json;
using Espwire.Receiver.Server;
using Espwire.Receiver.Sinks;
using Espwire.Receiver.Tests.Support;
using Microsoft.Data.Sqlite;
using Espwire.Testing;

namespace Espwire.Receiver.Tests.Mqtt;

/// <summary>At least once from the store, against a real Mosquitto (persistence on) and a persistent QoS 1 subscriber.</summary>
public sealed class AtLeastOnceTests
{
    private static readonly TimeSpan Long = TestTimeouts.Seconds(180);

    private static MqttForwardOptions Forward(MosquittoBroker broker, string clientId) =>
        new("127.0.0.1", broker.Port) { ClientId = clientId };

    /// <summary>Every (device, seq) stored in the database, in storage order.</summary>
    private static async Task<List<(string Device, long Seq)>> StoredAsync(string database)
    {
        var rows = new List<(string, long)>();
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT device, seq FROM readings ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt64(1)));
        return rows;
    }

    /// <summary>Every stored reading arrived; per device, first arrivals come in seq order (resends after a
    /// failure repeat a tail: the duplicates QoS 1 allows, nothing else).</summary>
    private static void AssertEveryStoredReadingArrived(List<(string Device, long Seq)> stored, List<(string Device, long Seq)> arrived)
    {
        Assert.Equal(stored.Count, stored.Distinct().Count());
        var missing = stored.Except(arrived).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {stored.Count} stored readings never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Empty(arrived.Except(stored)); // nothing invented
        foreach (var device in arrived.GroupBy(a => a.Device))
        {
            var firsts = device.Select(d => d.Seq).Distinct().ToList();
            Assert.Equal(firsts.Order(), firsts);
        }
    }

    [Fact]
    public async Task Ten_thousand_readings_at_qos_1_all_arrive_in_order_per_device()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = Forward(broker, "espwire-test-10k") });
        await Task.WhenAll(ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 5_000), ReadingSender.SendAsync(receiver.Tcp, "radar-b", 1, 5_000));
        await receiver.WaitForStoredAsync(10_000);
        await collector.WaitForDistinctReadingsAsync(10_000, Long);

        var stored = await StoredAsync(receiver.DatabasePath);
        Assert.Equal(10_000, stored.Count);
        var arrived = collector.Readings();
        AssertEveryStoredReadingArrived(stored, arrived);
        // No broker trouble here, so no resends either.
        Assert.Equal(10_000, arrived.Count);
        await WaitForAsync(() => receiver.Host.MqttForwarder!.Backlog == 0, "the backlog to empty");
        Assert.Equal(10_000, receiver.Host.MqttForwarder!.Forwarded);
        Assert.Equal(0L, receiver.Host.Stats.MqttBacklog);
        Assert.True(receiver.Host.Stats.MqttConnected);
        // The cursor is durable: every forwarded id is in mqtt_outbox.
        await WaitForAsync(async () => await receiver.ScalarAsync("SELECT last_id FROM mqtt_outbox WHERE client_id = 'espwire-test-10k'") ==
            await receiver.ScalarAsync("SELECT MAX(id) FROM readings"), "the cursor to reach the last reading");
    }

    [Fact]
    public async Task A_broker_stopped_mid_stream_and_started_again_loses_no_stored_reading()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        var notices = new List<string>();
        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = Forward(broker, "espwire-test-outage") });
        receiver.NoticeRaised += n => { lock (notices) notices.Add(n.Message); };

        await ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 3_000);
        await collector.WaitForDistinctReadingsAsync(1, Long);
        await broker.StopAsync(); // SIGTERM while forwarding
        await WaitForAsync(() => receiver.Host.Stats.MqttConnected == false, "the forwarder to see the broker gone");

        // The receiver keeps receiving and storing while the broker is away; the backlog says how much waits.
        await ReadingSender.SendAsync(receiver.Tcp, "radar-a", 3_001, 3_000);
        await ReadingSender.SendAsync(receiver.Tcp, "radar-b", 1, 1_000);
        await receiver.WaitForStoredAsync(7_000);
        await WaitForAsync(() => receiver.Host.Stats.MqttBacklog >= 4_000, "the backlog to count what is stored meanwhile");
        var stats = JsonSerializer.Serialize(receiver.Host.Stats, Espwire.Receiver.Readings.ReadingJson.SerializerOptions);
        Assert.Contains("\"mqtt_connected\":false", stats, StringComparison.Ordinal);
        Assert.Contains("\"mqtt_backlog\":", stats, StringComparison.Ordinal);
        Assert.Contains("\"mqtt_backlog_age_s\":", stats, StringComparison.Ordinal);
        lock (notices) Assert.Contains(notices, n => n.Contains("unreachable", StringComparison.Ordinal) && n.Contains($"127.0.0.1:{broker.Port}", StringComparison.Ordinal));

        await broker.RestartAsync();
        await collector.WaitForDistinctReadingsAsync(7_000, Long);
        AssertEveryStoredReadingArrived(await StoredAsync(receiver.DatabasePath), collector.Readings());
        await WaitForAsync(() => receiver.Host.Stats is { MqttBacklog: 0, MqttConnected: true }, "the backlog to drain");
        await WaitForAsync(() => { lock (notices) return notices.Any(n => n.Contains("backlog drained", StringComparison.Ordinal)); }, "the drained notice");
    }

    [Fact]
    public async Task A_broker_stopped_mid_stream_with_a_wide_window_loses_no_stored_reading()
    {
        // MQTT 3.1.1 has no receive maximum, so the window is the option's: 500 publishes in flight when the broker goes.
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        await using var receiver = await TestReceiver.StartAsync(o => o with
        {
            Mqtt = Forward(broker, "espwire-test-wide") with { InFlight = 500, Version = Sinks.Mqtt.MqttVersion.V311 },
        });
        Assert.Equal(500, receiver.Host.MqttForwarder!.InFlightLimit);

        var sending = ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 20_000);
        await collector.WaitForDistinctReadingsAsync(1, Long);
        await broker.StopAsync(); // SIGTERM with a window full of unacknowledged publishes
        await sending;
        await receiver.WaitForStoredAsync(20_000);
        var arrivedAtStop = collector.Readings().Distinct().Count();
        Assert.True(arrivedAtStop < 20_000, $"forwarding finished before the broker stopped ({arrivedAtStop}); nothing was tested");

        await ReadingSender.SendAsync(receiver.Tcp, "radar-b", 1, 2_000); // stored while the broker is away
        await receiver.WaitForStoredAsync(22_000);
        await broker.RestartAsync();
        await collector.WaitForDistinctReadingsAsync(22_000, Long);
        AssertEveryStoredReadingArrived(await StoredAsync(receiver.DatabasePath), collector.Readings());
        await WaitForAsync(() => receiver.Host.Stats is { MqttBacklog: 0, MqttConnected: true }, "the backlog to drain");
    }

    [Fact]
    public async Task Mqtt_5_keeps_the_window_at_the_brokers_receive_maximum()
    {
        // Mosquitto announces max_inflight_messages (20 by default) as its receive maximum; more would break MQTT 5.
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = Forward(broker, "espwire-test-receive-max") with { InFlight = 100 } });
        Assert.Equal(20, receiver.Host.MqttForwarder!.InFlightLimit);
        Assert.Contains(receiver.Notices, n => n.Message.Contains("up to 20 in flight", StringComparison.Ordinal));
        await ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 2_000);
        await collector.WaitForDistinctReadingsAsync(2_000, Long);
        AssertEveryStoredReadingArrived(await StoredAsync(receiver.DatabasePath), collector.Readings());
    }

    [Fact]
    public async Task At_qos_0_every_reading_is_sent_and_the_cursor_follows_the_socket()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = Forward(broker, "espwire-test-qos0") with { Qos = 0 } });
        await Task.WhenAll(ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 5_000), ReadingSender.SendAsync(receiver.Tcp, "radar-b", 1, 5_000));
        await receiver.WaitForStoredAsync(10_000);
        await collector.WaitForDistinctReadingsAsync(10_000, Long);
        AssertEveryStoredReadingArrived(await StoredAsync(receiver.DatabasePath), collector.Readings());
        await WaitForAsync(() => receiver.Host.MqttForwarder!.Backlog == 0, "the backlog to empty");
        Assert.Equal(10_000, receiver.Host.MqttForwarder!.Forwarded);
        await WaitForAsync(async () => await receiver.ScalarAsync("SELECT last_id FROM mqtt_outbox WHERE client_id = 'espwire-test-qos0'") ==
            await receiver.ScalarAsync("SELECT MAX(id) FROM readings"), "the cursor to reach the last reading");
    }

    [Fact]
    public async Task At_qos_0_readings_stored_while_the_broker_is_away_are_sent_when_it_is_back()
    {
        // QoS 0 may lose what was in the socket when the broker went (at most once), but the cursor only passes
        // readings written to a live connection: nothing stored during the outage is skipped.
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = Forward(broker, "espwire-test-qos0-outage") with { Qos = 0 } });
        var sending = ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 20_000);
        await collector.WaitForDistinctReadingsAsync(1, Long);
        await broker.StopAsync();
        await WaitForAsync(() => receiver.Host.Stats.MqttConnected == false, "the forwarder to see the broker gone");
        await sending;
        await ReadingSender.SendAsync(receiver.Tcp, "radar-b", 1, 3_000);
        await receiver.WaitForStoredAsync(23_000);
        await WaitForAsync(() => receiver.Host.Stats.MqttBacklog >= 3_000, "the backlog to hold what was stored meanwhile");

        await broker.RestartAsync();
        await WaitForAsync(() => receiver.Host.Stats is { MqttBacklog: 0, MqttConnected: true }, "the backlog to drain");
        await WaitForAsync(() => collector.Readings().Where(r => r.Device == "radar-b").Distinct().Count() >= 3_000, "the readings stored during the outage");
        var arrived = collector.Readings().ToHashSet();
        var missing = Enumerable.Range(1, 3_000).Where(seq => !arrived.Contains(("radar-b", seq))).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} readings stored during the outage never arrived, e.g. {string.Join(", ", missing.Take(5))}");
    }

    [Fact]
    public async Task A_receiver_killed_mid_forwarding_and_restarted_loses_no_stored_reading()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        var dir = Directory.CreateTempSubdirectory("espwire-mqtt-kill-").FullName;
        var db = Path.Combine(dir, "espwire.db");
        string[] arguments = ["--tcp", "127.0.0.1:0", "--no-udp", "--db", db, "--quiet", "--mqtt", $"mqtt://127.0.0.1:{broker.Port}",
            "--mqtt-client-id", "espwire-test-kill"];
        try
        {
            const int total = 20_000;
            int arrivedAtKill;
            await using (var first = await ServeProcess.StartAsync(arguments))
            {
                var endpoint = first.Tcp!;
                var sending = Task.WhenAll(ReadingSender.SendAsync(endpoint, "radar-a", 1, total / 2), ReadingSender.SendAsync(endpoint, "radar-b", 1, total / 2));
                await collector.WaitForDistinctReadingsAsync(1, Long);
                await first.KillAsync(); // SIGKILL while forwarding (and maybe still receiving)
                arrivedAtKill = collector.Readings().Distinct().Count();
                await sending.ContinueWith(_ => { }); // the connections break with it
            }
            var stored = await StoredAsync(db);
            Assert.True(arrivedAtKill < stored.Count, $"the kill came after forwarding finished ({arrivedAtKill} of {stored.Count}); nothing was tested");

            await using (var second = await ServeProcess.StartAsync(arguments))
            {
                await collector.WaitForDistinctReadingsAsync(stored.Count, Long);
                AssertEveryStoredReadingArrived(stored, collector.Readings());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_broker_that_rejects_the_credentials_is_a_clear_error_at_start_and_exit_1()
    {
        await using var broker = await MosquittoBroker.StartAsync(user: "espwire", password: "right-password");
        var dir = Directory.CreateTempSubdirectory("espwire-mqtt-auth-").FullName;
        try
        {
            var passwordFile = Path.Combine(dir, "mqtt-password");
            await File.WriteAllTextAsync(passwordFile, "wrong-password\n");
            await using var serve = await ServeProcess.StartAsync(["--tcp", "127.0.0.1:0", "--no-udp", "--db", Path.Combine(dir, "espwire.db"),
                "--mqtt", $"mqtt://127.0.0.1:{broker.Port}", "--mqtt-user", "espwire", "--mqtt-password-file", passwordFile,
                "--mqtt-client-id", "espwire-test-auth-fail"], expectListening: false);
            Assert.Equal(1, await serve.WaitForExitAsync());
            Assert.Contains($"espwire serve: the MQTT broker at mqtt://127.0.0.1:{broker.Port} refused", serve.Stderr, StringComparison.Ordinal);
            Assert.Contains("refused espwire-test-auth-fail: not authorized (a wrong user name or password, or no access for this client). " +
                "Check --mqtt-user, --mqtt-password-file", serve.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Listening", serve.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task The_right_credentials_are_accepted_and_readings_flow()
    {
        await using var broker = await MosquittoBroker.StartAsync(user: "espwire", password: "right-password");
        await using var receiver = await TestReceiver.StartAsync(o => o with
        {
            Mqtt = Forward(broker, "espwire-test-auth") with { User = "espwire", Password = "right-password", Version = Sinks.Mqtt.MqttVersion.V311 },
        });
        await ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 10);
        await WaitForAsync(() => receiver.Host.MqttForwarder!.Forwarded == 10, "10 readings forwarded over MQTT 3.1.1 with credentials");
    }

    [Fact]
    public async Task A_broker_missing_at_start_is_reported_and_the_receiver_keeps_storing()
    {
        // Held and not listening for the whole test: refused every time, and no broker another test starts gets it.
        using var nobody = HeldPort.Tcp();
        var port = nobody.Port;
        await using var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = new MqttForwardOptions("127.0.0.1", port) { ClientId = "espwire-test-missing" } });
        var notice = await receiver.WaitForNoticeAsync(NoticeKind.Error);
        Assert.Contains($"MQTT broker mqtt://127.0.0.1:{port} is unreachable", notice.Message, StringComparison.Ordinal);
        Assert.Contains("Readings are still stored", notice.Message, StringComparison.Ordinal);
        await ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 25);
        await receiver.WaitForStoredAsync(25);
        Assert.Equal(25, await receiver.ScalarAsync("SELECT COUNT(*) FROM readings"));
        await WaitForAsync(() => receiver.Host.Stats.MqttBacklog == 25, "the backlog to hold the 25 readings");
        Assert.False(receiver.Host.Stats.MqttConnected);
    }

    [Fact]
    public async Task Without_a_database_forwarding_is_said_to_be_best_effort_and_works_from_memory()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = await MqttCollector.StartAsync(broker, "espwire/+/reading");
        await using var receiver = await TestReceiver.StartAsync(o => o with { DatabasePath = null, Mqtt = Forward(broker, "espwire-test-nodb") });
        var notice = await receiver.WaitForNoticeAsync(NoticeKind.Mqtt);
        Assert.Contains("best effort with --no-db", receiver.Notices.Select(n => n.Message).First(m => m.Contains("best effort", StringComparison.Ordinal)), StringComparison.Ordinal);
        _ = notice;
        await ReadingSender.SendAsync(receiver.Tcp, "radar-a", 1, 500);
        await collector.WaitForDistinctReadingsAsync(500, Long);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => ("radar-a", (long)i)), collector.Readings());
    }

    [Fact]
    public async Task Statuses_are_retained_and_home_assistant_discovery_names_each_numeric_value()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var receiver = await TestReceiver.StartAsync(o => o with { Mqtt = Forward(broker, "espwire-test-status") with { HomeAssistantDiscovery = true } }))
        {
            await using var early = await MqttCollector.StartAsync(broker, "#", "espwire-test-early");
            await ReadingSender.SendAsync(receiver.Tcp, "radar/1", 1, 3);
            await early.WaitUntilAsync(m => m.Any(x => x.Topic == "homeassistant/sensor/radar_1/n/config") && m.Any(x => x.Topic == "espwire/radar_1/status"), Long);
        }
        // A subscriber that comes later still finds them: retained. The receiver stopped cleanly, so it says offline.
        await using var late = await MqttCollector.StartAsync(broker, "#", "espwire-test-late");
        await late.WaitUntilAsync(m => m.Count(x => x.Retained) >= 3, Long);
        var retained = late.Messages.Where(m => m.Retained).ToDictionary(m => m.Topic, m => m.Payload);
        Assert.Equal("offline", retained["espwire/receiver/espwire-test-status/status"]);
        using (var status = JsonDocument.Parse(retained["espwire/radar_1/status"]))
        {
            Assert.Equal("radar/1", status.RootElement.GetProperty("device").GetString());
            Assert.True(status.RootElement.GetProperty("online").GetBoolean());
            Assert.Equal("online", status.RootElement.GetProperty("state").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", status.RootElement.GetProperty("last_seen").GetString());
        }
        using var config = JsonDocument.Parse(retained["homeassistant/sensor/radar_1/n/config"]);
        Assert.Equal("espwire/radar_1/reading", config.RootElement.GetProperty("state_topic").GetString());
        Assert.Equal("{{ value_json['values']['n'] }}", config.RootElement.GetProperty("value_template").GetString());
        Assert.Equal("espwire_radar_1_n", config.RootElement.GetProperty("unique_id").GetString());
        Assert.Equal("espwire/radar_1/status", config.RootElement.GetProperty("availability_topic").GetString());
    }

    // The forwarder's state has no event to wait on: polled, under the long ceiling of these broker tests.
    private static Task WaitForAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, what, Long);

    private static Task WaitForAsync(Func<Task<bool>> condition, string what) => Eventually.UntilAsync(condition, what, Long);
}
