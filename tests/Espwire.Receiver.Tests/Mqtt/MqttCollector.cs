using System.Text;
using System.Text.Json;
using Espwire.Receiver.Tests.Support;
using MQTTnet;
using MQTTnet.Protocol;

namespace Espwire.Receiver.Tests.Mqtt;

/// <summary>A QoS 1 subscriber with a persistent session (clean start off, a long session expiry), as a consumer that
/// must not miss readings is: it reconnects by itself when the broker goes away and collects every message.</summary>
internal sealed class MqttCollector : IAsyncDisposable
{
    private readonly MosquittoBroker _broker;
    private readonly string _filter;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly List<(string Topic, string Payload, bool Retained)> _messages = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waits = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closing = new();

    private MqttCollector(MosquittoBroker broker, string clientId, string filter)
    {
        _broker = broker;
        _filter = filter;
        _client = new MqttClientFactory().CreateMqttClient();
        _options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            lock (_gate)
            {
                _messages.Add((message.Topic, Encoding.UTF8.GetString(message.Payload), message.Retain));
                for (var i = _waits.Count - 1; i >= 0; i--)
                {
                    if (!_waits[i].Condition()) continue;
                    _waits[i].Done.TrySetResult();
                    _waits.RemoveAt(i);
                }
            }
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += async _ =>
        {
            // The broker went away (a test stopped it): come back as soon as it listens again, same session.
            while (!_closing.IsCancellationRequested)
            {
                try
                {
                    await _client.ConnectAsync(_options, _closing.Token);
                    return;
                }
                catch (Exception) when (!_closing.IsCancellationRequested)
                {
                    await Task.Delay(100, _closing.Token).ContinueWith(_ => { });
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        };
    }

    public static async Task<MqttCollector> StartAsync(MosquittoBroker broker, string filter, string clientId = "espwire-test-collector")
    {
        var collector = new MqttCollector(broker, clientId, filter);
        await collector._client.ConnectAsync(collector._options).WaitAsync(TestReceiver.Patience);
        await collector._client.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build()).WaitAsync(TestReceiver.Patience);
        return collector;
    }

    public IReadOnlyList<(string Topic, string Payload, bool Retained)> Messages
    {
        get { lock (_gate) return _messages.ToArray(); }
    }

    public int Count
    {
        get { lock (_gate) return _messages.Count; }
    }

    /// <summary>(device, seq) of every reading message (topics ending in /reading), in arrival order.</summary>
    public List<(string Device, long Seq)> Readings()
    {
        var found = new List<(string, long)>();
        foreach (var (topic, payload, _) in Messages)
        {
            if (!topic.EndsWith("/reading", StringComparison.Ordinal)) continue;
            using var json = JsonDocument.Parse(payload);
            found.Add((json.RootElement.GetProperty("device").GetString()!, json.RootElement.GetProperty("seq").GetInt64()));
        }
        return found;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked on every message), within <paramref name="ceiling"/>.</summary>
    public Task WaitUntilAsync(Func<IReadOnlyList<(string Topic, string Payload, bool Retained)>, bool> condition, TimeSpan ceiling)
    {
        lock (_gate)
        {
            Func<bool> check = () => condition(_messages);
            if (check()) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((check, done));
            return done.Task.WaitAsync(ceiling);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> distinct readings (device, seq) arrived.</summary>
    public Task WaitForDistinctReadingsAsync(int count, TimeSpan ceiling)
    {
        var seen = new HashSet<string>();
        var scanned = 0;
        return WaitUntilAsync(messages =>
        {
            for (; scanned < messages.Count; scanned++)
            {
                var (topic, payload, _) = messages[scanned];
                if (!topic.EndsWith("/reading", StringComparison.Ordinal)) continue;
                using var json = JsonDocument.Parse(payload);
                seen.Add(json.RootElement.GetProperty("device").GetString() + "\n" + json.RootElement.GetProperty("seq").GetInt64());
            }
            return seen.Count >= count;
        }, ceiling);
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync().WaitAsync(TestReceiver.Patience);
        }
        catch (Exception) { }
        _client.Dispose();
        _closing.Dispose();
        _ = _broker;
        _ = _filter;
    }
}
