using System.Net;
using System.Net.Sockets;
using Espwire.Cli;
using Espwire.Ota.Discovery;

namespace Espwire.Ota.Tests;

public class DiscoveryTests
{
    [Fact]
    public void Ptr_query_encodes_as_rfc1035_bytes()
    {
        var query = new DnsMessage { Id = 0x1234, Questions = [new DnsQuestion("_arduino._tcp.local", DnsRecordType.Ptr, UnicastResponse: true)] };
        byte[] expected =
        [
            0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            8, (byte)'_', (byte)'a', (byte)'r', (byte)'d', (byte)'u', (byte)'i', (byte)'n', (byte)'o',
            4, (byte)'_', (byte)'t', (byte)'c', (byte)'p',
            5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0,
            0x00, 0x0C, 0x80, 0x01,
        ];
        Assert.Equal(expected, query.Encode());
    }

    [Fact]
    public void Answer_round_trips_and_compressed_names_are_followed()
    {
        var service = new ArduinoService("esp8266-a1b2c3", "esp8266-a1b2c3.local", IPAddress.Loopback, 8266, ArduinoService.ArduinoOtaTxt("ESP8266_GENERIC", true));
        var query = new DnsMessage { Id = 7, Questions = [new DnsQuestion(ArduinoService.ServiceType, DnsRecordType.Ptr, true)] };
        var answer = ArduinoServiceResponder.Answer(query, service, legacyUnicast: true)!;
        var decoded = DnsMessage.Decode(answer.Encode());
        Assert.Equal(7, decoded.Id);
        var found = Assert.Single(ArduinoServiceBrowser.Assemble(decoded.AllRecords.Select(r => (r, IPAddress.Any)).ToList()));
        Assert.Equal("esp8266-a1b2c3", found.Instance);
        Assert.Equal(8266, found.Port);
        Assert.True(found.AuthRequired);
        Assert.Equal("ESP8266_GENERIC", found.Board);
        Assert.Equal(IPAddress.Loopback, found.Address);
        Assert.True(decoded.AllRecords.All(r => r.Ttl <= 10));

        // A pointer back to offset 12 (the question's name) for the answer's name.
        byte[] compressed =
        [
            0, 1, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0,
            5, (byte)'_', (byte)'h', (byte)'t', (byte)'t', (byte)'p', 4, (byte)'_', (byte)'t', (byte)'c', (byte)'p', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0,
            0, 12, 0, 1,
            0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 10, 0, 2, 0xC0, 12,
        ];
        var message = DnsMessage.Decode(compressed);
        Assert.Equal("_http._tcp.local", message.Answers[0].Name);
        Assert.Equal("_http._tcp.local", message.Answers[0].Target);
    }

    [Theory]
    [InlineData(new byte[] { 0, 1, 0x84, 0 })]
    [InlineData(new byte[] { 0, 1, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 12, 0, 1 })]
    [InlineData(new byte[] { 0, 1, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 40, (byte)'a', 0 })]
    public void Truncated_or_looping_messages_are_rejected(byte[] bad)
        => Assert.Throws<DnsFormatException>(() => DnsMessage.Decode(bad));

    [Fact]
    public async Task Browser_finds_the_emulator_by_unicast_query()
    {
        await using var device = await EmulatedOtaDevice.StartAsync(password: "pw", mdns: true);
        var mdns = device.Module.MdnsEndpoint!;
        var services = await ArduinoServiceBrowser.BrowseAsync(new MdnsBrowseOptions { Target = mdns, Window = TimeSpan.FromSeconds(30), StopAfter = 1 });
        var service = Assert.Single(services);
        Assert.Equal("esp8266-a1b2c3", service.Instance);
        Assert.Equal(device.Endpoint.Port, service.Port);
        Assert.Equal(IPAddress.Loopback, service.Address);
        Assert.True(service.AuthRequired);
        Assert.Equal("no", service.Txt["tcp_check"]);
        Assert.Equal("no", service.Txt["ssh_upload"]);
    }

    [Fact]
    public async Task Garbage_to_the_responder_is_dropped_and_it_keeps_answering()
    {
        await using var device = await EmulatedOtaDevice.StartAsync(mdns: true);
        var mdns = device.Module.MdnsEndpoint!;
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Module.Trace += t =>
        {
            if (t.StartsWith("mDNS: dropped", StringComparison.Ordinal)) dropped.TrySetResult();
        };
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            await udp.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, mdns);
        }
        await dropped.Task.WaitAsync(EmulatedOtaDevice.Ceiling);
        var services = await ArduinoServiceBrowser.BrowseAsync(new MdnsBrowseOptions { Target = mdns, Window = TimeSpan.FromSeconds(30), StopAfter = 1 });
        Assert.Single(services);
    }

    [Fact]
    public async Task Devices_command_lists_the_emulator_and_the_receivers_devices()
    {
        await using var device = await EmulatedOtaDevice.StartAsync(mdns: true);
        var mdns = device.Module.MdnsEndpoint!;
        var dir = Directory.CreateTempSubdirectory("espwire-devices-").FullName;
        try
        {
            var db = Path.Combine(dir, "espwire.db");
            var sink = await Espwire.Receiver.Sinks.SqliteReadingSink.OpenAsync(db);
            await sink.DisposeAsync();
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + db + ";Pooling=False"))
            {
                await connection.OpenAsync();
                var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO readings (device, seq, received_at_us, remote, transport, raw, format) VALUES ('radar-1', 1, 1764633600000000, '127.0.0.1:50000', 'tcp', '1', 'plain'), ('radar-1', 2, 1764633601000000, '127.0.0.1:50001', 'tcp', '2', 'plain')";
                await insert.ExecuteNonQueryAsync();
            }
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await EspwireCli.RunAsync(["devices", "--mdns", mdns.ToString(), "--timeout", "5", "--db", db], output, error);
            Assert.True(code == 0, error.ToString());
            var text = output.ToString();
            Assert.Contains("esp8266-a1b2c3", text, StringComparison.Ordinal);
            Assert.Contains("ESP8266_GENERIC", text, StringComparison.Ordinal);
            Assert.Contains(device.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            Assert.Contains("radar-1", text, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1:50001", text, StringComparison.Ordinal);
            Assert.Contains("2025-12-02 00:00:01", text, StringComparison.Ordinal);
            Assert.Equal(2, await EspwireCli.RunAsync(["devices", "--mdns", "nonsense"], new StringWriter(), new StringWriter()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
