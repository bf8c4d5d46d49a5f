using System.Text;
using Espwire.Receiver.Readings;
using MQTTnet;
using MQTTnet.Protocol;

namespace Espwire.Receiver.Sinks;

/// <summary>Forwards readings to an MQTT broker (QoS 0, MQTT 3.1.1), best effort: the database is the record, so a
/// broker that goes away costs forwarded messages (counted, reported once per outage), never the receiver.</summary>
public sealed class MqttForwardSink : IReadingSink
{
    private readonly MqttForwardOptions _options;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly Action<string>? _problem;
    private bool _outageReported;
    private long _forwarded;
    private long _failed;

    private MqttForwardSink(MqttForwardOptions options, Action<string>? problem)
    {
        _options = options;
        _problem = problem;
        _client = new MqttClientFactory().CreateMqttClient();
        _clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId("espwire-" + Environment.ProcessId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
    }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Connects once (a broker that is not there at start is a startup error the user should see).</summary>
    public static async Task<MqttForwardSink> ConnectAsync(MqttForwardOptions options, Action<string>? problem = null, CancellationToken cancellationToken = default)
    {
        var sink = new MqttForwardSink(options, problem);
        try
        {
            await sink._client.ConnectAsync(sink._clientOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            sink._client.Dispose();
            throw new IOException($"cannot reach the MQTT broker at {options.Host}:{options.Port}: {e.Message}", e);
        }
        return sink;
    }

    public async ValueTask WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected && !await TryReconnectAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Add(ref _failed, batch.Count);
            return;
        }
        var i = 0;
        try
        {
            for (; i < batch.Count; i++)
            {
                var reading = batch[i];
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(_options.TopicPrefix + "/" + TopicSafe(reading.Device))
                    .WithPayload(Encoding.UTF8.GetBytes(ReadingJson.ToJson(reading)))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                    .Build();
                await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _forwarded);
            }
            _outageReported = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Add(ref _failed, batch.Count - i);
            Report($"MQTT forwarding to {_options.Host}:{_options.Port} failed: {e.Message}. Readings are still stored; forwarding resumes when the broker is back.");
        }
    }

    private async Task<bool> TryReconnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Report($"MQTT broker {_options.Host}:{_options.Port} is unreachable: {e.Message}. Readings are still stored; forwarding resumes when it is back.");
            return false;
        }
    }

    private void Report(string message)
    {
        if (_outageReported) return;
        _outageReported = true;
        _problem?.Invoke(message);
    }

    // MQTT topic levels must not contain the wildcards + and #; '/' would add levels.
    private static string TopicSafe(string device) => device.Replace('/', '_').Replace('+', '_').Replace('#', '_');

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Closing a broken connection: nothing left to save.
        }
        _client.Dispose();
    }
}
