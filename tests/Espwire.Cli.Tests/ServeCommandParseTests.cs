using System.Net;
using Espwire.Cli.Commands;
using Espwire.Cli.Receiver;

namespace Espwire.Cli.Tests;

public sealed class ServeCommandParseTests
{
    private static Espwire.Receiver.Server.ReceiverOptions Parse(string line)
    {
        var command = ServeCommand.Create(out var definition);
        var parse = command.Parse(line);
        Assert.Empty(parse.Errors);
        return definition.ToReceiverOptions(parse);
    }

    [Fact]
    public void Defaults_are_the_seeds_port_on_tcp_and_udp_into_espwire_db()
    {
        var options = Parse("");
        Assert.Equal([new IPEndPoint(IPAddress.Any, 12345)], options.Tcp);
        Assert.Equal([new IPEndPoint(IPAddress.Any, 12345)], options.Udp);
        Assert.Equal("espwire.db", options.DatabasePath);
        Assert.Equal(4096, options.MaxLineLength);
        Assert.Equal(TimeSpan.FromSeconds(120), options.IdleTimeout);
    }

    [Fact]
    public void Repeated_tcp_addresses_udp_follows_tcp_unless_told()
    {
        var options = Parse("--tcp 127.0.0.1:9000 --tcp [::1]:9001");
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 9000), new IPEndPoint(IPAddress.IPv6Loopback, 9001)], options.Tcp);
        Assert.Equal(options.Tcp, options.Udp);
        Assert.Empty(Parse("--tcp :9000 --no-udp").Udp);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7000)], Parse("--udp localhost:7000").Udp);
    }

    [Fact]
    public void Limits_allow_and_sinks_become_receiver_options()
    {
        var options = Parse("--no-db --jsonl r.jsonl --allow 192.168.0.0/24 --allow 127.0.0.1 --max-line-length 100 --max-connections 50 --max-per-address 5 --idle-timeout 0 --queue 10");
        Assert.Null(options.DatabasePath);
        Assert.Equal("r.jsonl", options.JsonLinesPath);
        Assert.Equal([IPNetwork.Parse("192.168.0.0/24"), IPNetwork.Parse("127.0.0.1/32")], options.Allow);
        Assert.Equal((100, 50, 5, 10), (options.MaxLineLength, options.MaxConnections, options.MaxConnectionsPerAddress, options.QueueCapacity));
        Assert.Equal(Timeout.InfiniteTimeSpan, options.IdleTimeout);
    }

    [Fact]
    public void Mqtt_broker_and_topic_become_forward_options()
    {
        var options = Parse("--tcp 127.0.0.1:9000 --mqtt 127.0.0.1:1884 --mqtt-topic lab/radar/");
        Assert.Equal(new Espwire.Receiver.Sinks.MqttForwardOptions("127.0.0.1", 1884, "lab/radar/")
        {
            ClientId = Espwire.Receiver.Sinks.MqttForwardOptions.DefaultClientId(9000),
        }, options.Mqtt);
        Assert.Equal($"espwire-{Environment.MachineName}-9000", options.Mqtt!.ClientId);
        Assert.Equal(1883, Parse("--mqtt mqtt://broker.lan").Mqtt!.Port);
        Assert.Equal("espwire/{device}/reading", Parse("--mqtt mqtt://broker.lan").Mqtt!.Topic);
        Assert.Null(Parse("").Mqtt);
    }

    [Fact]
    public void Mqtt_urls_qos_version_identity_and_tls_are_parsed()
    {
        var tls = Parse("--mqtt mqtts://broker.lan --mqtt-qos 0 --mqtt-version 3.1.1 --mqtt-client-id lab-1 --mqtt-ha-discovery --mqtt-inflight 8").Mqtt!;
        Assert.True(tls.Tls);
        Assert.Equal(("broker.lan", 8883, 0, Espwire.Receiver.Sinks.Mqtt.MqttVersion.V311, "lab-1", true, 8),
            (tls.Host, tls.Port, tls.Qos, tls.Version, tls.ClientId, tls.HomeAssistantDiscovery, tls.InFlight));
        var v6 = Parse("--mqtt mqtt://[::1]:1999").Mqtt!;
        Assert.Equal(("::1", 1999, false, 1, Espwire.Receiver.Sinks.Mqtt.MqttVersion.V5), (v6.Host, v6.Port, v6.Tls, v6.Qos, v6.Version));
        Assert.Equal("mqtt://[::1]:1999", v6.BrokerUri);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cret\r\nignored\n");
            var auth = Parse($"--mqtt 127.0.0.1 --mqtt-user espwire --mqtt-password-file {file}").Mqtt!;
            Assert.Equal(("espwire", "s3cret"), (auth.User, auth.Password));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--mqtt 127.0.0.1 --mqtt-qos 2", "--mqtt-qos is 0 (at most once) or 1 (at least once), not 2.")]
    [InlineData("--mqtt 127.0.0.1 --mqtt-version 4.0", "--mqtt-version is 5 or 3.1.1, not '4.0'.")]
    [InlineData("--mqtt 127.0.0.1 --mqtt-password-file /nonexistent", "--mqtt-password-file needs --mqtt-user USER.")]
    [InlineData("--mqtt mqtt://127.0.0.1 --mqtt-ca /nonexistent.pem", "--mqtt-ca is for TLS: give the broker as mqtts://HOST[:PORT].")]
    [InlineData("--mqtt-qos 0", "--mqtt-qos needs --mqtt URL, e.g. --mqtt mqtt://127.0.0.1:1883.")]
    [InlineData("--mqtt http://broker", "--mqtt 'http://broker' is not mqtt://HOST[:PORT], mqtts://HOST[:PORT] or HOST[:PORT]. Examples: --mqtt mqtt://127.0.0.1, --mqtt broker.lan:1883, --mqtt mqtts://broker.lan.")]
    [InlineData("--mqtt 127.0.0.1 --mqtt-topic a/+/{device}", "--mqtt-topic 'a/+/{device}' must be a topic without wildcards (+ #), e.g. --mqtt-topic 'espwire/{device}/reading'.")]
    public void Bad_mqtt_options_are_usage_errors_that_say_what_to_write(string line, string message)
    {
        var command = ServeCommand.Create(out var definition);
        var parse = command.Parse(line);
        Assert.Empty(parse.Errors);
        Assert.Equal(message, Assert.Throws<UsageException>(() => definition.ToReceiverOptions(parse)).Message);
    }

    [Theory]
    [InlineData("--mqtt host:notaport")]
    [InlineData("--mqtt 127.0.0.1 --mqtt-topic a/#")]
    [InlineData("--tcp 127.0.0.1")]
    [InlineData("--tcp nowhere:80")]
    [InlineData("--allow 300.1.2.3/8")]
    [InlineData("--no-udp --udp 127.0.0.1:1")]
    [InlineData("--no-db --db x.db")]
    [InlineData("--queue 0")]
    [InlineData("--idle-timeout -1")]
    public void Contradictions_and_bad_values_are_usage_errors(string line)
    {
        var command = ServeCommand.Create(out var definition);
        var error = Assert.Throws<UsageException>(() => definition.ToReceiverOptions(command.Parse(line)));
        Assert.Contains("--", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_option_exits_with_the_usage_code_and_says_what_to_do()
    {
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(["serve", "--tcp", "12.0.0.1"], new StringWriter(), error);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("is not ADDR:PORT", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_describes_like_the_seeds_listening_line()
    {
        Assert.Equal("0.0.0.0:12345", EndpointParser.Describe(EndpointParser.Parse("12345", "--tcp")));
    }
}
