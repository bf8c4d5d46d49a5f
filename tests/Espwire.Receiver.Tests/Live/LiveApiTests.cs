using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

public sealed class LiveApiTests
{
    [Fact]
    public async Task Readings_api_stream_and_page_show_what_arrives_and_a_stop_ends_the_stream()
    {
        await using var receiver = await TestReceiver.StartAsync(o => o with { Http = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var http = receiver.Host.HttpEndpoints[0];
        using var client = new HttpClient { BaseAddress = new Uri($"http://{http}/"), Timeout = TestReceiver.Patience };

        await receiver.SendPerMessageAsync("581");
        await receiver.WaitForStoredAsync(1);
        using (var list = JsonDocument.Parse(await client.GetStringAsync("api/readings?limit=10")))
        {
            var reading = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal("581", reading.GetProperty("raw").GetString());
            Assert.Equal(581, reading.GetProperty("values").GetProperty("value").GetDouble());
        }
        Assert.Contains("EventSource", await client.GetStringAsync(""), StringComparison.Ordinal);
        using (var stats = JsonDocument.Parse(await client.GetStringAsync("api/stats")))
            Assert.Equal(1, stats.RootElement.GetProperty("readings_stored").GetInt64());

        using var response = await client.GetAsync("api/readings/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith(":", await stream.ReadLineAsync().WaitAsync(TestReceiver.Patience));
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            await udp.SendToAsync("{\"id\":\"radar-1\",\"range\":2.5}"u8.ToArray(), receiver.Udp);
        string? line;
        do line = await stream.ReadLineAsync().WaitAsync(TestReceiver.Patience);
        while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));
        Assert.NotNull(line);
        using (var live = JsonDocument.Parse(line["data: ".Length..]))
        {
            Assert.Equal("radar-1", live.RootElement.GetProperty("device").GetString());
            Assert.Equal(2.5, live.RootElement.GetProperty("values").GetProperty("range").GetDouble());
        }

        // The open stream must not hold the stop up: it ends, and the stop completes.
        await receiver.StopAsync();
        do line = await stream.ReadLineAsync().WaitAsync(TestReceiver.Patience);
        while (line is not null);
    }
}
