using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Espwire.Cli.Receiver;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Server;
using Espwire.Receiver.Sinks;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire serve</c>: the seed's laptop server, done right.</summary>
internal static class ServeCommand
{
    /// <summary>The verb's options, kept together so parse tests can turn a command line into <see cref="ReceiverOptions"/>.</summary>
    internal sealed class Definition
    {
        public Option<string[]> Tcp { get; } = new("--tcp")
        {
            Description = "TCP listen address ADDR:PORT; repeat for several. Default 0.0.0.0:12345, as in the seed.",
            HelpName = "ADDR:PORT",
            AllowMultipleArgumentsPerToken = false,
        };
        public Option<string[]> Udp { get; } = new("--udp")
        {
            Description = "UDP listen address ADDR:PORT; repeat for several. Default: the same addresses as --tcp.",
            HelpName = "ADDR:PORT",
        };
        public Option<string[]> Http { get; } = new("--http")
        {
            Description = "Also serve the live page and HTTP API on ADDR:PORT (a bare port such as 8080 is 127.0.0.1:8080): / shows devices and charts, " +
                "GET /api/devices, /api/readings, /api/readings.csv, /api/readings/stream (server-sent events), /api/stats. An address beyond loopback needs --http-token.",
            HelpName = "ADDR:PORT",
        };
        public Option<string?> HttpToken { get; } = new("--http-token")
        {
            Description = "Every HTTP request must show this token: Authorization: Bearer TOKEN, or open /?token=TOKEN once (sets a cookie). Required when --http listens beyond loopback.",
            HelpName = "TOKEN",
        };
        public Option<string?> HttpTokenFile { get; } = new("--http-token-file")
        {
            Description = "Read the --http-token from this file (its first line), so it stays out of the process list and shell history.",
            HelpName = "PATH",
        };
        // MQTT forwarding (--mqtt ...): at least once from the database, options grouped here.
        public Option<string?> Mqtt { get; } = new("--mqtt")
        {
            Description = "Also forward every reading (JSON) to this MQTT broker: mqtt://HOST[:PORT], mqtts://HOST[:PORT] or HOST[:PORT]. " +
                "At least once from the database: a broker outage or a restart loses nothing, the backlog drains when it is back.",
            HelpName = "URL",
        };
        public Option<string> MqttTopic { get; } = new("--mqtt-topic")
        {
            Description = "Reading topic; {device} becomes the device (+ # / made '_'). A topic without {device} is a prefix: PREFIX/{device}.",
            HelpName = "TEMPLATE",
            DefaultValueFactory = _ => MqttForwardOptions.DefaultTopic,
        };
        public Option<int> MqttQos { get; } = new("--mqtt-qos") { Description = "0 (at most once) or 1 (at least once).", DefaultValueFactory = _ => 1 };
        public Option<string?> MqttClientId { get; } = new("--mqtt-client-id")
        {
            Description = "MQTT client id, also the outbox cursor's name in the database. Default: espwire-HOSTNAME-PORT (stable per receiver).",
            HelpName = "ID",
        };
        public Option<string?> MqttUser { get; } = new("--mqtt-user") { Description = "MQTT user name.", HelpName = "USER" };
        public Option<string?> MqttPasswordFile { get; } = new("--mqtt-password-file")
        {
            Description = "File whose first line is the MQTT password (kept off the command line and out of ps).",
            HelpName = "FILE",
        };
        public Option<string?> MqttCa { get; } = new("--mqtt-ca") { Description = "CA certificate (PEM) that signed the mqtts:// broker's certificate.", HelpName = "FILE" };
        public Option<string> MqttVersion { get; } = new("--mqtt-version")
        {
            Description = "MQTT protocol version: 5 or 3.1.1.",
            HelpName = "5|3.1.1",
            DefaultValueFactory = _ => "5",
        };
        public Option<bool> MqttHaDiscovery { get; } = new("--mqtt-ha-discovery") { Description = "Publish Home Assistant MQTT discovery configs for each device's numeric values." };
        public Option<int> MqttInflight { get; } = new("--mqtt-inflight")
        {
            Description = "Publishes awaiting PUBACK at once (MQTT 5 lowers it to the receive maximum the broker announces; with 3.1.1 keep it at or below the broker's limit, Mosquitto's is 20).",
            DefaultValueFactory = _ => 20,
        };
        private IEnumerable<Option> MqttOptions => [Mqtt, MqttTopic, MqttQos, MqttClientId, MqttUser, MqttPasswordFile, MqttCa, MqttVersion, MqttHaDiscovery, MqttInflight];
        public Option<bool> NoUdp { get; } = new("--no-udp") { Description = "Listen on TCP only." };
        public Option<string> Db { get; } = new("--db")
        {
            Description = "SQLite file the readings go to (WAL, batched transactions; schema in docs/receiver-schema.md).",
            HelpName = "PATH",
            DefaultValueFactory = _ => "espwire.db",
        };
        public Option<bool> NoDb { get; } = new("--no-db") { Description = "Keep no database (console, --jsonl only). Devices asking for acknowledgements get none." };
        public Option<SqliteSync> Sync { get; } = new("--sync")
        {
            Description = "What an ACK to a device promises (docs/ack-protocol.md). normal: the reading is committed and survives a crash or kill -9 of this receiver. " +
                "full: also fsynced, so it survives power loss (one fsync per commit, slower).",
            DefaultValueFactory = _ => SqliteSync.Normal,
        };
        public Option<string?> Jsonl { get; } = new("--jsonl") { Description = "Also append every reading to this file as one JSON object per line.", HelpName = "PATH" };
        public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Do not print connections and readings; only warnings and the summary." };
        public Option<LogFormat> Log { get; } = new("--log")
        {
            Description = "Console format: text (the seed's lines) or json (one object per event).",
            DefaultValueFactory = _ => LogFormat.Text,
        };
        public Option<string[]> Allow { get; } = new("--allow")
        {
            Description = "Accept devices only from this network (CIDR, e.g. 192.168.0.0/24); repeat for several. Others are refused, counted and logged once per address.",
            HelpName = "CIDR",
        };
        public Option<int> MaxLineLength { get; } = new("--max-line-length")
        {
            Description = "Longest line kept, in bytes; longer lines are dropped and counted, the connection stays open.",
            DefaultValueFactory = _ => 4096,
        };
        public Option<int> MaxConnections { get; } = new("--max-connections")
        {
            Description = "Most TCP connections read at once. Connections past it are not refused: they wait, unread, until one closes (counted as waiting).",
            DefaultValueFactory = _ => 10_000,
        };
        public Option<int> MaxPerAddress { get; } = new("--max-per-address")
        {
            Description = "Most TCP connections read at once from one source address; more wait, unread, until one of its connections closes.",
            DefaultValueFactory = _ => 1_000,
        };
        public Option<double> IdleTimeout { get; } = new("--idle-timeout")
        {
            Description = "Close a connection that sends nothing for this many seconds (0: never).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 120,
        };
        public Option<int> Queue { get; } = new("--queue")
        {
            Description = "Readings held in memory on their way to disk. When full, sockets are not read until the disk catches up (nothing is dropped).",
            DefaultValueFactory = _ => 100_000,
        };

        public IEnumerable<Option> All => [Tcp, Udp, Http, HttpToken, HttpTokenFile, .. MqttOptions, NoUdp, Db, NoDb, Sync, Jsonl, Quiet, Log, Allow, MaxLineLength, MaxConnections, MaxPerAddress, IdleTimeout, Queue];

        public ReceiverOptions ToReceiverOptions(ParseResult parse)
        {
            var tcp = (parse.GetValue(Tcp) ?? []).Select(t => EndpointParser.Parse(t, "--tcp")).ToArray();
            if (tcp.Length == 0) tcp = [new IPEndPoint(IPAddress.Any, ReceiverOptions.DefaultPort)];
            var udpGiven = (parse.GetValue(Udp) ?? []).Select(u => EndpointParser.Parse(u, "--udp")).ToArray();
            if (parse.GetValue(NoUdp) && udpGiven.Length > 0) throw new UsageException("--udp and --no-udp contradict each other; give one of them.");
            var udp = parse.GetValue(NoUdp) ? [] : udpGiven.Length > 0 ? udpGiven : tcp;
            if (parse.GetValue(NoDb) && parse.GetResult(Db) is { Implicit: false }) throw new UsageException("--db and --no-db contradict each other; give one of them.");
            var http = (parse.GetValue(Http) ?? []).Select(HttpEndpoint.Parse).ToArray();
            var httpToken = HttpEndpoint.Token(parse.GetValue(HttpToken), parse.GetValue(HttpTokenFile), http);
            var allow = (parse.GetValue(Allow) ?? []).Select(ParseNetwork).ToArray();
            var idle = parse.GetValue(IdleTimeout);
            if (idle < 0) throw new UsageException("--idle-timeout must be 0 (never) or a number of seconds, e.g. --idle-timeout 120.");
            Positive(parse, MaxLineLength, "--max-line-length 4096");
            Positive(parse, MaxConnections, "--max-connections 10000");
            Positive(parse, MaxPerAddress, "--max-per-address 1000");
            Positive(parse, Queue, "--queue 100000");
            return new ReceiverOptions
            {
                Tcp = tcp,
                Udp = udp,
                Http = http,
                HttpToken = httpToken,
                Mqtt = ParseMqtt(parse, tcp.Concat(udp).First().Port),
                DatabasePath = parse.GetValue(NoDb) ? null : parse.GetValue(Db),
                JsonLinesPath = parse.GetValue(Jsonl),
                Allow = allow,
                MaxLineLength = parse.GetValue(MaxLineLength),
                MaxConnections = parse.GetValue(MaxConnections),
                MaxConnectionsPerAddress = parse.GetValue(MaxPerAddress),
                IdleTimeout = idle == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(idle),
                QueueCapacity = parse.GetValue(Queue),
                Sync = parse.GetValue(Sync),
            };
        }

        private static void Positive(ParseResult parse, Option<int> option, string example)
        {
            if (parse.GetValue(option) < 1) throw new UsageException($"{option.Name} must be at least 1, e.g. {example}.");
        }

        private MqttForwardOptions? ParseMqtt(ParseResult parse, int listenPort)
        {
            if (parse.GetValue(Mqtt) is not { } broker)
            {
                var stray = MqttOptions.Skip(1).FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
                if (stray is not null) throw new UsageException($"{stray.Name} needs --mqtt URL, e.g. --mqtt mqtt://127.0.0.1:1883.");
                return null;
            }
            var options = ParseBroker(broker);
            var topic = parse.GetValue(MqttTopic)!;
            if (!Espwire.Receiver.Sinks.Mqtt.MqttTopics.IsValidName(topic.Replace("{device}", "x", StringComparison.Ordinal)))
                throw new UsageException($"--mqtt-topic '{topic}' must be a topic without wildcards (+ #), e.g. --mqtt-topic 'espwire/{{device}}/reading'.");
            var qos = parse.GetValue(MqttQos);
            if (qos is not (0 or 1)) throw new UsageException($"--mqtt-qos is 0 (at most once) or 1 (at least once), not {qos}.");
            var version = parse.GetValue(MqttVersion)?.Trim() switch
            {
                "5" or "5.0" => Espwire.Receiver.Sinks.Mqtt.MqttVersion.V5,
                "3.1.1" or "311" or "4" => Espwire.Receiver.Sinks.Mqtt.MqttVersion.V311,
                var other => throw new UsageException($"--mqtt-version is 5 or 3.1.1, not '{other}'."),
            };
            var user = parse.GetValue(MqttUser);
            var passwordFile = parse.GetValue(MqttPasswordFile);
            if (passwordFile is not null && user is null) throw new UsageException("--mqtt-password-file needs --mqtt-user USER.");
            string? password = null;
            if (passwordFile is not null)
            {
                try
                {
                    password = File.ReadLines(passwordFile).FirstOrDefault()?.TrimEnd('\r') ?? "";
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot read --mqtt-password-file {passwordFile}: {e.Message}");
                }
            }
            var ca = parse.GetValue(MqttCa);
            if (ca is not null && !options.Tls) throw new UsageException("--mqtt-ca is for TLS: give the broker as mqtts://HOST[:PORT].");
            if (ca is not null && !File.Exists(ca)) throw new UsageException($"--mqtt-ca {ca}: no such file.");
            var inflight = parse.GetValue(MqttInflight);
            if (inflight < 1) throw new UsageException("--mqtt-inflight must be at least 1, e.g. --mqtt-inflight 16.");
            var clientId = parse.GetValue(MqttClientId) ?? MqttForwardOptions.DefaultClientId(listenPort);
            if (clientId.Length is 0 or > 65535) throw new UsageException("--mqtt-client-id must not be empty.");
            return options with
            {
                Topic = topic,
                Qos = qos,
                Version = version,
                ClientId = clientId,
                User = user,
                Password = password,
                CaFile = ca,
                HomeAssistantDiscovery = parse.GetValue(MqttHaDiscovery),
                InFlight = inflight,
            };
        }

        private static MqttForwardOptions ParseBroker(string text)
        {
            var value = text.Trim();
            var tls = false;
            if (value.StartsWith("mqtt://", StringComparison.OrdinalIgnoreCase)) value = value["mqtt://".Length..];
            else if (value.StartsWith("mqtts://", StringComparison.OrdinalIgnoreCase))
            {
                value = value["mqtts://".Length..];
                tls = true;
            }
            value = value.TrimEnd('/');
            var bad = $"--mqtt '{text}' is not mqtt://HOST[:PORT], mqtts://HOST[:PORT] or HOST[:PORT]. Examples: --mqtt mqtt://127.0.0.1, --mqtt broker.lan:1883, --mqtt mqtts://broker.lan.";
            var port = tls ? 8883 : 1883;
            string host;
            if (value.StartsWith('['))
            {
                var close = value.IndexOf(']');
                if (close < 0) throw new UsageException(bad);
                host = value[1..close];
                var rest = value[(close + 1)..];
                if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port))) throw new UsageException(bad);
            }
            else
            {
                var colon = value.LastIndexOf(':');
                host = colon >= 0 ? value[..colon] : value;
                if (colon >= 0 && (host.Contains(':') || !TryPort(value[(colon + 1)..], out port))) throw new UsageException(bad);
            }
            if (host.Length == 0 || host.Contains('/') || host.Contains('@')) throw new UsageException(bad);
            return new MqttForwardOptions(host, port) { Tls = tls };
        }

        private static bool TryPort(string text, out int port) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

        private static IPNetwork ParseNetwork(string text)
        {
            if (IPNetwork.TryParse(text.Trim(), out var network)) return network;
            if (IPAddress.TryParse(text.Trim(), out var single)) return new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            throw new UsageException($"--allow '{text}' is not a network in CIDR form. Examples: --allow 192.168.0.0/24, --allow 127.0.0.1/32, --allow ::1/128.");
        }
    }

    public static Command Create() => Create(out _);

    internal static Command Create(out Definition definition)
    {
        var d = definition = new Definition();
        var command = new Command("serve",
            "Receive readings from ESP8266 devices over TCP and UDP (one line per reading) and store them.\n\n" +
            "Like the seed's laptop server it listens on 0.0.0.0:12345 and prints each connection and reading, but it\n" +
            "serves thousands of devices at once, keeps every line (SQLite espwire.db by default) and stops cleanly on\n" +
            "Ctrl+C or SIGTERM after writing every line it has read.\n\n" +
            "Devices that must not lose readings say '@id NAME ack' and send '#SEQ PAYLOAD' lines; each is answered\n" +
            "'ACK N' once committed (docs/ack-protocol.md; --sync says what that promises). Plain lines get no reply.\n\n" +
            "Limits: past --max-connections or --max-per-address a connection waits, unread, for a slot and keeps its\n" +
            "--idle-timeout (a waiting connection with unread bytes is never idle). Before that, the kernel holds\n" +
            "connections not yet accepted in the listen backlog (asked 65535, capped by net.core.somaxconn); past it,\n" +
            "devices' connects are retried by their TCP stack. The open-file limit is raised to the hard limit at start.\n" +
            "If the disk fills or the database is locked, the receiver waits (sockets unread), retries, says what to do\n" +
            "once a minute and resumes by itself; a stop meanwhile saves the unwritten readings to a .jsonl file.\n\n" +
            "Examples:\n" +
            "  espwire serve                                   the seed's defaults: TCP+UDP 0.0.0.0:12345 into espwire.db\n" +
            "  espwire serve --tcp 127.0.0.1:9000 --no-udp     loopback only, TCP only\n" +
            "  espwire serve --allow 192.168.0.0/24 --quiet    only devices on the home network, no per-reading lines\n" +
            "  espwire serve --jsonl readings.jsonl --log json also append JSON lines; log events as JSON\n" +
            "  espwire serve --http 127.0.0.1:8080             and watch http://127.0.0.1:8080/ plot the readings live\n" +
            "  espwire serve --http 0.0.0.0:8080 --http-token-file token.txt   the page for the whole network, with a token\n" +
            "  espwire serve --mqtt mqtt://127.0.0.1 --mqtt-topic 'lab/{device}/reading'\n" +
            "                                                  also publish each reading to MQTT, at least once (QoS 1)\n" +
            "  espwire serve --sync full                       ACKs survive power loss too (fsync per commit)\n" +
            "  espwire readings --device 192.168.0.138         then look at what arrived");
        foreach (var option in d.All) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => RunAsync(d, parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Definition d, ParseResult parse, CancellationToken cancellationToken)
    {
        var options = d.ToReceiverOptions(parse);
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        await using var console = new ReceiverConsole(output, error, parse.GetValue(d.Log), parse.GetValue(d.Quiet));
        return await RunAsync(options, console, error, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(ReceiverOptions options, ReceiverConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        await using var host = new ReceiverHost(options);
        console.Attach(host);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ListenException e)
        {
            var option = e.Transport == "UDP" ? "--udp HOST:PORT, or pass --no-udp" : "--tcp HOST:PORT";
            var what = e.SocketError == SocketError.AddressAlreadyInUse
                ? $"the {e.Transport} port {e.EndPoint.Port} is in use by another program"
                : e.InnerException!.Message;
            await error.WriteLineAsync($"espwire serve: cannot listen on {e.Transport} {e.EndPoint}: {what}. " +
                $"Stop the other program, or pick another {e.Transport} port with {option}.").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (Exception e) when (FindSocketError(e) is { } socketError && HttpEndpoint.Clashing(e, options.Http) is { } http)
        {
            await error.WriteLineAsync($"espwire serve: cannot serve the live page on {http} (HTTP): {socketError.Message}. " +
                "Stop the other server using that port, or pick another with --http HOST:PORT (e.g. --http 127.0.0.1:8081).").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (Exception e) when (FindSocketError(e) is { } socketError)
        {
            var endpoints = string.Join(", ", options.Tcp.Concat(options.Udp).Distinct());
            await error.WriteLineAsync($"espwire serve: cannot listen on {endpoints}: {socketError.Message}. " +
                "Stop the other server using that port, or pick another with --tcp ADDR:PORT / --udp ADDR:PORT.").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (Espwire.Receiver.Sinks.Mqtt.MqttBrokerRejectedException e)
        {
            // MQTT: the broker answered and refused us (credentials, client id, TLS): a setting to fix, not an outage.
            await error.WriteLineAsync($"espwire serve: {e.Message}").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"espwire serve: cannot start: {e.Message}. Check that --db / --jsonl name writable files and that the --mqtt broker runs.").ConfigureAwait(false);
            return ExitCodes.DeviceError;
        }
        console.Listening(host);
        if (options.DatabasePath is null)
            await error.WriteLineAsync("espwire serve: no database (--no-db), so no acknowledgements: devices that ask (@id NAME ack) get no ACK and keep their readings.").ConfigureAwait(false);

        var exitCode = ExitCodes.Ok;
        try
        {
            await host.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the normal way to stop.
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"espwire serve: storing readings failed: {e.Message}. Readings already written are safe; fix the cause (disk full? file locked?) and start again.").ConfigureAwait(false);
            exitCode = ExitCodes.DeviceError;
        }
        try
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (exitCode != ExitCodes.Ok)
        {
            _ = e; // Already reported above.
        }
        console.Summary(host.Stats);
        if (host.UnwrittenReport is { } unwritten)
        {
            await error.WriteLineAsync($"espwire serve: {unwritten} Load them later, e.g. with sqlite3 or jq, once the store can write again.").ConfigureAwait(false);
            if (exitCode == ExitCodes.Ok) exitCode = ExitCodes.DeviceError;
        }
        return exitCode;
    }

    private static SocketException? FindSocketError(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket) return socket;
            if (current is IOException { InnerException: SocketException inner }) return inner;
        }
        return null;
    }

}
