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
        var options = Parse("--mqtt 127.0.0.1:1884 --mqtt-topic lab/radar/");
        Assert.Equal(new Espwire.Receiver.Sinks.MqttForwardOptions("127.0.0.1", 1884, "lab/radar"), options.Mqtt);
        Assert.Equal(1883, Parse("--mqtt mqtt://broker.lan").Mqtt!.Port);
        Assert.Null(Parse("").Mqtt);
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
