using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Sinks.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace Espwire.Receiver.Sinks;

/// <summary>Forwards readings to an MQTT broker. With a database it is at least once from the store: a task of its
/// own reads the readings table in id order behind a cursor (<c>mqtt_outbox</c>) that advances only on PUBACK, over a
/// persistent session, with a window of publishes in flight; an outage, a broker restart or a receiver crash costs
/// duplicates at most, never a stored reading. The receiver never waits for the broker: it keeps receiving and
/// storing while the backlog grows. Without a database the outbox is in memory (best effort).</summary>
/// <remarks>Where the time goes at tens of thousands of readings a second: MQTTnet's own work per publish, which is
/// why the connection runs over a <see cref="CoalescingMqttChannel"/> (one socket write for many packets, buffered
/// reads), the window takes free slots without a semaphore, and QoS 0 tracks no task per reading (its cursor moves
/// once the channel has put the bytes in the socket). Measured in bench/mqtt.</remarks>
public sealed class MqttForwardSink : IReadingSink
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CursorSaveInterval = TimeSpan.FromMilliseconds(250);
    private const int FetchSize = 512;

    private readonly MqttForwardOptions _options;
    private readonly IOutbox _outbox;
    private readonly MqttTopics _topics;
    private readonly IMqttClient _client;
    private readonly CoalescingAdapterFactory _adapters = new();
    private readonly MqttClientOptions _clientOptions;
    private readonly Action<string> _problem;
    private readonly Action<string> _info;
    private readonly DeviceStatusBoard _board;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private volatile bool _connected;
    private MqttClientConnectResultCode? _refusal;
    private volatile bool _stopping;
    private long _forwarded;
    private long _rejected;
    private long? _downSince;
    private long _lastOutageReport;
    private long? _drainFrom;
    private int _window;
    private string? _topicDevice;
    private string _topic = "";

    private MqttForwardSink(MqttForwardOptions options, IOutbox outbox, Action<string> problem, Action<string> info)
    {
        _options = options;
        _outbox = outbox;
        _problem = problem;
        _info = info;
        ClientId = options.ClientId ?? MqttForwardOptions.DefaultClientId(1883);
        _topics = new MqttTopics(options.Topic, ClientId);
        _board = new DeviceStatusBoard(options.DeviceOfflineAfter);
        _window = options.InFlight;
        _client = new MqttClientFactory().CreateMqttClient(_adapters);
        _client.DisconnectedAsync += e =>
        {
            _refusal = e.ConnectResult?.ResultCode;
            _connected = false;
            _lost.TrySetResult();
            return Task.CompletedTask;
        };
        _clientOptions = BuildClientOptions();
    }

    public string ClientId { get; }

    /// <summary>Readings the broker acknowledged (QoS 1) or that were sent (QoS 0).</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Readings never forwarded: dropped from a full memory outbox (<c>--no-db</c>) or refused by the broker
    /// (e.g. an ACL; they are logged and skipped, so one refused topic does not hold up the rest).</summary>
    public long Failed => Interlocked.Read(ref _rejected) + _outbox.Dropped;

    /// <summary>Readings stored and not yet acknowledged by the broker.</summary>
    public long Backlog => Math.Max(0, _outbox.Newest - _outbox.Cursor);

    /// <summary>How long the oldest reading of the backlog has waited, in seconds (0 with no backlog).</summary>
    public double BacklogAgeSeconds => Backlog > 0 && _outbox.OldestPendingMicros is { } oldest
        ? Math.Max(0, (Reading.NowMicros() - oldest) / 1e6) : 0;

    public bool Connected => _connected;

    /// <summary>Publishes in flight at most on this connection: <see cref="MqttForwardOptions.InFlight"/>, or the
    /// broker's receive maximum (MQTT 5) when that is lower.</summary>
    public int InFlightLimit => Volatile.Read(ref _window);

    /// <summary>The outbox cursor: every id up to here is acknowledged.</summary>
    public long Cursor => _outbox.Cursor;

    /// <summary>Opens the outbox (in the database at <paramref name="databasePath"/>, or in memory when null), connects
    /// once and starts forwarding. A broker that refuses the receiver is an error here; one that is not reachable is
    /// reported and waited for, while readings keep being stored.</summary>
    public static async Task<MqttForwardSink> StartAsync(MqttForwardOptions options, string? databasePath, Action<string>? problem = null,
        Action<string>? info = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InFlight, 1, nameof(options.InFlight));
        if (options.Qos is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(options), "QoS is 0 or 1.");
        var clientId = options.ClientId ?? MqttForwardOptions.DefaultClientId(1883);
        IOutbox outbox = databasePath is null
            ? new MemoryOutbox(options.MemoryCapacity, options.HomeAssistantDiscovery)
            : await StoreOutbox.OpenAsync(databasePath, clientId, options.HomeAssistantDiscovery, cancellationToken).ConfigureAwait(false);
        var sink = new MqttForwardSink(options with { ClientId = clientId }, outbox, problem ?? (_ => { }), info ?? (_ => { }));
        try
        {
            if (databasePath is null)
                sink._info($"MQTT forwarding is best effort with --no-db: up to {options.MemoryCapacity:N0} readings wait in memory " +
                    $"while {options.BrokerUri} is away (QoS {options.Qos}), and they are lost if the receiver stops.");
            try
            {
                await sink.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (MqttBrokerRejectedException or OperationCanceledException))
            {
                sink.ReportDown(e);
            }
            sink._info($"MQTT: forwarding to {options.BrokerUri} as {clientId} (MQTT {(options.Version == MqttVersion.V5 ? "5" : "3.1.1")}, " +
                $"QoS {options.Qos}{(options.Qos == 1 ? $", up to {sink.InFlightLimit} in flight" : "")}), topic {sink._topics.Template}; " +
                (databasePath is null ? "from memory." : $"outbox cursor at reading {outbox.Cursor}, backlog {sink.Backlog:N0}."));
            sink._loop = Task.Run(sink.RunAsync, CancellationToken.None);
            return sink;
        }
        catch
        {
            await sink.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        // Called after the database committed the batch: the forwarder finds the rows there (or in memory).
        _outbox.Added(batch);
        _wake.Writer.TryWrite(true);
        return ValueTask.CompletedTask;
    }

    private MqttClientOptions BuildClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(ClientId)
            .WithProtocolVersion(_options.Version == MqttVersion.V5 ? MQTTnet.Formatter.MqttProtocolVersion.V500 : MQTTnet.Formatter.MqttProtocolVersion.V311)
            // A persistent session: the broker keeps what it queued for this receiver and its in-flight state.
            .WithCleanStart(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(ConnectTimeout)
            .WithWillTopic(_topics.ReceiverStatus)
            .WithWillPayload("offline"u8.ToArray())
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_options.Version == MqttVersion.V5) builder.WithSessionExpiryInterval((uint)Math.Clamp(_options.SessionExpiry.TotalSeconds, 0, uint.MaxValue));
        if (_options.User is { } user) builder.WithCredentials(user, _options.Password ?? "");
        if (_options.Tls)
        {
            X509Certificate2Collection? anchors = null;
            if (_options.CaFile is { } ca)
            {
                anchors = [];
                anchors.ImportFromPemFile(ca);
            }
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                tls.WithCertificateValidationHandler(check => Trusted(check.Certificate, check.SslPolicyErrors, anchors));
            });
        }
        return builder.Build();
    }

    /// <summary>The system's trust, or with --mqtt-ca the given anchors (a private CA, as most brokers on a LAN use).</summary>
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? anchors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (anchors is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        _lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _refusal = null;
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(_clientOptions, timeout.Token).ConfigureAwait(false);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e) when (RefusalIn(e) is { } code)
        {
            throw Refused(code, e);
        }
        catch (Exception e) when (FindTlsFailure(e) is { } tls)
        {
            throw new MqttBrokerRejectedException($"TLS with the MQTT broker at {_options.BrokerUri} failed: {tls.Message}. " +
                "Check the host name against its certificate, and give its CA with --mqtt-ca FILE.", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"the MQTT broker at {_options.BrokerUri} did not answer within {ConnectTimeout.TotalSeconds:0} s");
        }
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            if (IsRefusal(result.ResultCode)) throw Refused(result.ResultCode, null);
            throw new IOException($"the MQTT broker at {_options.BrokerUri} refused the connection for now ({result.ResultCode})");
        }
        // MQTT 5: the broker says how many unacknowledged QoS 1 publishes it takes (Mosquitto: max_inflight_messages,
        // 20 by default); sending more breaks the protocol, and some brokers disconnect for it.
        Volatile.Write(ref _window, result.ReceiveMaximum is { } most and > 0 ? Math.Min(_options.InFlight, most) : _options.InFlight);
        _connected = true;
        // The receiver's own status: online now, offline by the will if the connection dies, or on a clean stop.
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(_topics.ReceiverStatus).WithPayload("online"u8.ToArray())
            .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
        _board.Reset();
    }

    /// <summary>The CONNACK's refusal: MQTTnet 5 puts it on the disconnect event, and names it in the exception's message.</summary>
    private MqttClientConnectResultCode? RefusalIn(Exception e)
    {
        if (_refusal is { } code && IsRefusal(code)) return code;
        foreach (var name in Enum.GetNames<MqttClientConnectResultCode>())
            if (e.Message.Contains("(" + name + ")", StringComparison.Ordinal) && Enum.Parse<MqttClientConnectResultCode>(name) is var parsed && IsRefusal(parsed))
                return parsed;
        return null;
    }

    private static bool IsRefusal(MqttClientConnectResultCode code) => code is MqttClientConnectResultCode.BadUserNameOrPassword
        or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.ClientIdentifierNotValid
        or MqttClientConnectResultCode.UnsupportedProtocolVersion or MqttClientConnectResultCode.Banned
        or MqttClientConnectResultCode.BadAuthenticationMethod;

    private MqttBrokerRejectedException Refused(MqttClientConnectResultCode code, Exception? inner)
    {
        var what = code switch
        {
            MqttClientConnectResultCode.BadUserNameOrPassword => "bad user name or password. Check --mqtt-user and --mqtt-password-file",
            // Mosquitto answers a wrong password with this one too.
            MqttClientConnectResultCode.NotAuthorized => "not authorized (a wrong user name or password, or no access for this client). " +
                "Check --mqtt-user, --mqtt-password-file and the broker's password file and ACL",
            MqttClientConnectResultCode.ClientIdentifierNotValid => $"client id '{ClientId}' not accepted. Pick another with --mqtt-client-id",
            MqttClientConnectResultCode.UnsupportedProtocolVersion => "protocol version not supported. Try --mqtt-version 3.1.1",
            _ => $"{code}. Check the broker's settings for this client",
        };
        return new MqttBrokerRejectedException($"the MQTT broker at {_options.BrokerUri} refused {ClientId}: {what}.", inner);
    }

    private static System.Security.Authentication.AuthenticationException? FindTlsFailure(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            if (current is System.Security.Authentication.AuthenticationException tls) return tls;
        return null;
    }

    private async Task RunAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(_stop.Token).ConfigureAwait(false);
                    ReportBack();
                }
                backoff = TimeSpan.FromMilliseconds(250);
                if (await ForwardAsync(_stop.Token).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ReportDown(e);
                try
                {
                    await _outbox.RefreshAsync(_stop.Token).ConfigureAwait(false);
                    // Retry soon, then every few seconds: a broker restart takes a moment, a long outage needs no hammering.
                    await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(4).Ticks));
            }
        }
    }

    /// <summary>Forwards until the connection fails (throws) or, once stopping, the backlog is empty (returns true).</summary>
    private async Task<bool> ForwardAsync(CancellationToken cancellationToken)
    {
        var window = new InFlightWindow(InFlightLimit, _outbox.Cursor);
        var qos0 = _options.Qos == 0;
        var sent = new SentReadings(_adapters.Current, _outbox.Cursor);
        var next = _outbox.Cursor;
        var saved = next;
        var sinceSave = Stopwatch.StartNew();
        var lost = _lost.Task;
        var qos = qos0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;
        var sweep = Stopwatch.StartNew();
        var completed = false;
        try
        {
            while (!window.Failed.IsCompleted && !lost.IsCompleted)
            {
                var entries = await _outbox.FetchAsync(next, FetchSize, cancellationToken).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    saved = await SaveAsync(qos0 ? await ConfirmSentAsync(sent).ConfigureAwait(false) : window.Contiguous, saved, cancellationToken).ConfigureAwait(false);
                    sinceSave.Restart();
                    if (_stopping && window.Outstanding == 0 && (qos0 ? sent.Confirmed : window.Contiguous) >= next && _outbox.Newest <= next)
                    {
                        completed = true;
                        return true;
                    }
                    if (sweep.Elapsed > TimeSpan.FromSeconds(30))
                    {
                        await PublishGoneQuietAsync(window, cancellationToken).ConfigureAwait(false);
                        sweep.Restart();
                    }
                    // Wait for new readings, the last acknowledgements (saved as soon as they are all in), or the
                    // connection's end; the delay bounds the wait for anything else.
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var woken = _wake.Reader.WaitToReadAsync(wait.Token).AsTask();
                    var settled = window.Outstanding > 0 ? window.DrainedAsync() : Task.Delay(Timeout.InfiniteTimeSpan, wait.Token);
                    await Task.WhenAny(woken, window.Failed, lost, settled, Task.Delay(CursorSaveInterval, wait.Token)).ConfigureAwait(false);
                    await wait.CancelAsync().ConfigureAwait(false);
                    _wake.Reader.TryRead(out _);
                    continue;
                }
                foreach (var entry in entries)
                {
                    var message = new MqttApplicationMessage
                    {
                        Topic = ReadingTopic(entry.Device),
                        Payload = new ReadOnlySequence<byte>(entry.Payload),
                        QualityOfServiceLevel = qos,
                    };
                    if (qos0)
                    {
                        // QoS 0 has nothing to wait for: the publish is done when its bytes are in the channel, which
                        // is at once unless the channel is over its high-water mark. A failure throws: reconnect.
                        var publish = _client.PublishAsync(message, CancellationToken.None);
                        if (!publish.IsCompletedSuccessfully) await publish.ConfigureAwait(false);
                        sent.Handed(entry.Id);
                    }
                    else
                    {
                        if (!window.TryAdd(entry.Id, out var slot) &&
                            (!await window.WaitForRoomAsync(cancellationToken).ConfigureAwait(false) || !window.TryAdd(entry.Id, out slot)))
                            break;
                        Track(window, slot, _client.PublishAsync(message, CancellationToken.None), message.Topic);
                    }
                    next = entry.Id;
                    await SidePublishesAsync(entry, window, cancellationToken).ConfigureAwait(false);
                }
                if (sinceSave.Elapsed >= CursorSaveInterval)
                {
                    saved = await SaveAsync(qos0 ? AdvanceSent(sent) : window.Contiguous, saved, cancellationToken).ConfigureAwait(false);
                    sinceSave.Restart();
                }
            }
        }
        finally
        {
            // Whatever is still in flight settles by PUBACK, by the connection's end, or by the client's timeout.
            try
            {
                // Stopping: a second for the last PUBACKs; what stays unacknowledged is resent on the next start.
                var grace = _stop.IsCancellationRequested ? TimeSpan.FromSeconds(1) : ConnectTimeout;
                await window.DrainedAsync().WaitAsync(grace, CancellationToken.None).ConfigureAwait(false);
                // QoS 0 after a stop (not a failure): what is in the channel still goes out.
                if (qos0 && !completed && _client.IsConnected) await ConfirmSentAsync(sent).WaitAsync(grace, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or IOException)
            {
                // The cursor simply stays where the acknowledgements (or the socket writes) got to.
            }
            if (qos0 && sent.Flush is { IsCompletedSuccessfully: true }) Confirm(sent); // a flush that finished before the end
            await SaveAsync(qos0 ? sent.Confirmed : window.Contiguous, saved, CancellationToken.None).ConfigureAwait(false);
        }
        throw window.Error ?? new IOException($"the connection to {_options.BrokerUri} closed");
    }

    /// <summary>QoS 0: the readings handed to the client and those known to be in the socket.</summary>
    private sealed class SentReadings(CoalescingMqttChannel? channel, long cursor)
    {
        public CoalescingMqttChannel? Channel { get; } = channel;

        /// <summary>Every id up to here was written to the socket.</summary>
        public long Confirmed { get; set; } = cursor;

        /// <summary>The last id handed to the client.</summary>
        public long Last { get; private set; } = cursor;

        public long Unconfirmed { get; set; }

        /// <summary>A flush under way: the readings up to <see cref="FlushUpTo"/> (<see cref="FlushCount"/> of them)
        /// are in the socket when it completes.</summary>
        public Task? Flush { get; set; }

        public long FlushUpTo { get; set; }

        public long FlushCount { get; set; }

        public void Handed(long id)
        {
            Last = id;
            Unconfirmed++;
        }
    }

    /// <summary>QoS 0 while publishing: counts what a finished flush covers as sent and starts a flush of what was
    /// handed over since, without waiting for it (waiting stalled publishing while the broker read the socket).</summary>
    private long AdvanceSent(SentReadings sent)
    {
        if (sent.Flush is { IsCompleted: true } flush)
        {
            flush.GetAwaiter().GetResult(); // a failed socket write throws: reconnect
            Confirm(sent);
        }
        if (sent.Flush is null && sent.Unconfirmed > 0)
        {
            if (sent.Channel is null)
            {
                // No channel of ours: a completed publish is as far as we can see.
                sent.FlushUpTo = sent.Last;
                sent.FlushCount = sent.Unconfirmed;
                sent.Unconfirmed = 0;
                Confirm(sent);
            }
            else
            {
                sent.Flush = sent.Channel.FlushAsync();
                sent.FlushUpTo = sent.Last;
                sent.FlushCount = sent.Unconfirmed;
                sent.Unconfirmed = 0;
            }
        }
        return sent.Confirmed;
    }

    private void Confirm(SentReadings sent)
    {
        sent.Confirmed = sent.FlushUpTo;
        Interlocked.Add(ref _forwarded, sent.FlushCount);
        sent.Flush = null;
        sent.FlushCount = 0;
    }

    /// <summary>QoS 0: waits until the channel has written what was handed to it so far, then counts it as sent.</summary>
    private async Task<long> ConfirmSentAsync(SentReadings sent)
    {
        if (sent.Flush is { } flush)
        {
            await flush.ConfigureAwait(false);
            Confirm(sent);
        }
        if (sent.Unconfirmed == 0) return sent.Confirmed;
        var upTo = sent.Last;
        var count = sent.Unconfirmed;
        if (sent.Channel is { } channel) await channel.FlushAsync().ConfigureAwait(false);
        sent.Confirmed = upTo;
        sent.Unconfirmed -= count;
        Interlocked.Add(ref _forwarded, count);
        return upTo;
    }

    /// <summary>The reading topic of a device; runs of one device (the rule) reuse it.</summary>
    private string ReadingTopic(string device)
    {
        if (!ReferenceEquals(device, _topicDevice))
        {
            _topic = _topics.Reading(device);
            _topicDevice = device;
        }
        return _topic;
    }

    /// <summary>Settles <paramref name="slot"/> when the publish completes; a reading's (with its topic) is counted
    /// as forwarded, or as refused when the broker's PUBACK says so.</summary>
    private void Track(InFlightWindow window, int slot, Task<MqttClientPublishResult> publish, string? readingTopic)
    {
        if (publish.IsCompleted) Settled(window, slot, publish, readingTopic);
        else publish.ContinueWith(t => Settled(window, slot, t, readingTopic), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Settled(InFlightWindow window, int slot, Task<MqttClientPublishResult> publish, string? readingTopic)
    {
        if (!publish.IsCompletedSuccessfully)
        {
            window.Settle(slot, publish.Exception?.GetBaseException() ?? new IOException($"a publish to {_options.BrokerUri} was cancelled"));
            return;
        }
        if (readingTopic is not null)
        {
            var result = publish.Result;
            if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                Interlocked.Increment(ref _forwarded);
            // Refused for good (an ACL, a topic the broker will not take): resending would not help; skip, count, say.
            else if (Interlocked.Increment(ref _rejected) == 1)
                _problem($"the MQTT broker at {_options.BrokerUri} refused a reading on {readingTopic}: {result.ReasonCode} {result.ReasonString}. " +
                    "Such readings stay in the database and are skipped for MQTT; check the broker's ACL for this client.");
        }
        window.Settle(slot, null);
    }

    private async Task<long> SaveAsync(long contiguous, long saved, CancellationToken cancellationToken)
    {
        if (contiguous > saved) await _outbox.SaveCursorAsync(contiguous, cancellationToken).ConfigureAwait(false);
        await _outbox.RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (_drainFrom is { } from && Backlog == 0)
        {
            var seconds = Stopwatch.GetElapsedTime(from).TotalSeconds;
            _info($"MQTT backlog drained: every stored reading is at {_options.BrokerUri} ({seconds:0.0} s after it came back).");
            _drainFrom = null;
        }
        return Math.Max(contiguous, saved);
    }

    /// <summary>The device's retained status and, with discovery on, its Home Assistant configs: best effort, in the window.</summary>
    private async Task SidePublishesAsync(OutboxEntry entry, InFlightWindow window, CancellationToken cancellationToken)
    {
        var now = Reading.NowMicros();
        if (_board.Seen(entry.Device, entry.ReceivedAtMicros, now))
            await SideAsync(window, _topics.DeviceStatus(entry.Device), StatusJson(entry.Device, true), cancellationToken).ConfigureAwait(false);
        if (!_options.HomeAssistantDiscovery) return;
        foreach (var name in entry.ValueNames)
            if (_board.Discover(entry.Device, name))
                await SideAsync(window, MqttTopics.Discovery(entry.Device, name), DiscoveryJson(entry.Device, name), cancellationToken).ConfigureAwait(false);
    }

    private async Task PublishGoneQuietAsync(InFlightWindow window, CancellationToken cancellationToken)
    {
        foreach (var device in _board.GoneQuiet(Reading.NowMicros()))
            await SideAsync(window, _topics.DeviceStatus(device), StatusJson(device, false), cancellationToken).ConfigureAwait(false);
    }

    private async Task SideAsync(InFlightWindow window, string topic, byte[] payload, CancellationToken cancellationToken)
    {
        if (!window.TryAdd(0, out var slot) &&
            (!await window.WaitForRoomAsync(cancellationToken).ConfigureAwait(false) || !window.TryAdd(0, out slot)))
            return;
        var publish = _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None);
        Track(window, slot, publish, null);
    }

    private byte[] StatusJson(string device, bool online) => Json(w =>
    {
        w.WriteString("device", device);
        w.WriteString("state", online ? "online" : "offline");
        w.WriteBoolean("online", online);
        var seen = _board.LastSeen(device);
        w.WriteString("last_seen", DateTimeOffset.UnixEpoch.AddTicks(seen * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("receiver", ClientId);
    });

    private byte[] DiscoveryJson(string device, string value) => Json(w =>
    {
        var node = MqttTopics.DiscoveryId(device);
        var id = MqttTopics.DiscoveryId(value);
        w.WriteString("name", value);
        w.WriteString("unique_id", $"espwire_{node}_{id}");
        w.WriteString("object_id", $"{node}_{id}");
        w.WriteString("state_topic", _topics.Reading(device));
        // Bracket access works for any key; the key is a Jinja string literal, so its quotes and backslashes are escaped.
        w.WriteString("value_template", "{{ value_json['values']['" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'] }}");
        w.WriteString("availability_topic", _topics.DeviceStatus(device));
        w.WriteString("availability_template", "{{ value_json.state }}");
        w.WriteStartObject("device");
        w.WriteStartArray("identifiers");
        w.WriteStringValue($"espwire_{node}");
        w.WriteEndArray();
        w.WriteString("name", device);
        w.WriteString("manufacturer", "Espwire");
        w.WriteString("model", "ESP8266 sensor");
        w.WriteEndObject();
    });

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ReadingJson.WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void ReportDown(Exception e)
    {
        _connected = false;
        _drainFrom = null;
        var now = Stopwatch.GetTimestamp();
        var reason = e.GetBaseException().Message.TrimEnd('.');
        if (_downSince is not { } since)
        {
            _downSince = now;
            _lastOutageReport = now;
            _problem($"MQTT broker {_options.BrokerUri} is unreachable: {reason}. Readings are still stored; " +
                $"forwarding resumes when it is back (backlog {Backlog:N0}).");
            return;
        }
        if (Stopwatch.GetElapsedTime(_lastOutageReport) < _options.OutageReportInterval) return;
        _lastOutageReport = now;
        _problem($"MQTT broker {_options.BrokerUri} still unreachable after {Describe(Stopwatch.GetElapsedTime(since))}: {reason}. " +
            $"Backlog {Backlog:N0} readings, the oldest {BacklogAgeSeconds:0} s old; readings are still stored.");
    }

    private void ReportBack()
    {
        if (_downSince is not { } since) return;
        _downSince = null;
        _drainFrom = Stopwatch.GetTimestamp();
        _info($"MQTT broker {_options.BrokerUri} is back after {Describe(Stopwatch.GetElapsedTime(since))}; forwarding a backlog of {Backlog:N0} readings.");
    }

    private static string Describe(TimeSpan span) => span.TotalSeconds < 90 ? $"{span.TotalSeconds:0} s"
        : span.TotalMinutes < 90 ? $"{span.TotalMinutes:0} min" : $"{span.TotalHours:0.0} h";

    /// <summary>Stops forwarding: keeps draining the backlog for up to <see cref="MqttForwardOptions.DrainOnStop"/> if
    /// connected, saves the cursor, says offline and disconnects. What is left waits in the store for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _wake.Writer.TryWrite(true);
        if (!_connected) await _stop.CancelAsync().ConfigureAwait(false);
        else _stop.CancelAfter(_options.DrainOnStop);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The loop reports its own failures; stopping must still close the client.
        }
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(ConnectTimeout);
                await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(_topics.ReceiverStatus).WithPayload("offline"u8.ToArray())
                    .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Closing a broken connection: the will says offline instead.
        }
        _client.Dispose();
        await _outbox.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
