using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Live;

public sealed class LiveApiTests
{
    private static Task<TestReceiver> StartAsync(string? token = null) =>
        TestReceiver.StartAsync(o => o with { Http = [new IPEndPoint(IPAddress.Loopback, 0)], HttpToken = token });

    private static HttpClient Client(TestReceiver receiver) =>
        new() { BaseAddress = new Uri($"http://{receiver.Host.HttpEndpoints[0]}/"), Timeout = TestReceiver.Patience };

    [Fact]
    public async Task The_page_and_its_files_are_served_from_the_assembly_with_uplot_and_no_cdn()
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        var html = await client.GetStringAsync("");
        Assert.Contains("assets/uPlot.iife.min.js", html, StringComparison.Ordinal);
        Assert.Contains("assets/app.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("//", html.Replace("<!--", "", StringComparison.Ordinal).Split("<script")[1..].Aggregate("", (a, b) => a + b.Split('>')[0]), StringComparison.Ordinal);
        using var uplot = await client.GetAsync("assets/uPlot.iife.min.js");
        Assert.Equal(HttpStatusCode.OK, uplot.StatusCode);
        Assert.Equal("text/javascript", uplot.Content.Headers.ContentType?.MediaType);
        Assert.Contains("uPlot", await uplot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(".uplot", await client.GetStringAsync("assets/uPlot.min.css"), StringComparison.Ordinal);
        Assert.Contains("EventSource", await client.GetStringAsync("assets/app.js"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("assets/nothing.js")).StatusCode);
    }

    [Fact]
    public async Task Devices_shows_each_device_with_count_times_and_how_it_talks()
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        await receiver.SendPerMessageAsync("581");
        await receiver.SendPerMessageAsync("582");
        using (var persistent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await persistent.ConnectAsync(receiver.Tcp);
            await persistent.SendAsync("@id radar-1\ndistance=1.5,velocity=0.2\ndistance=1.6,velocity=0.1\n"u8.ToArray());
            await receiver.WaitForStoredAsync(4);
        }
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            await udp.SendToAsync("@id udp-1\n7\n"u8.ToArray(), receiver.Udp);
        await receiver.WaitForStoredAsync(5);

        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/devices"));
        var devices = doc.RootElement.EnumerateArray().ToDictionary(d => d.GetProperty("device").GetString()!);
        Assert.Equal(["127.0.0.1", "radar-1", "udp-1"], devices.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, devices["127.0.0.1"].GetProperty("count").GetInt64());
        Assert.Equal("per-message", devices["127.0.0.1"].GetProperty("style").GetString());
        Assert.Equal("582", devices["127.0.0.1"].GetProperty("last_raw").GetString());
        Assert.Equal("persistent", devices["radar-1"].GetProperty("style").GetString());
        Assert.Equal("UDP", devices["udp-1"].GetProperty("style").GetString());
        var first = DateTimeOffset.Parse(devices["127.0.0.1"].GetProperty("first_seen").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var last = DateTimeOffset.Parse(devices["127.0.0.1"].GetProperty("last_seen").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(first <= last && last <= DateTimeOffset.UtcNow.AddSeconds(1), $"{first} .. {last}");
        Assert.True(devices["radar-1"].GetProperty("readings_per_second").GetDouble() >= 0);
    }

    [Fact]
    public async Task Readings_filter_by_device_time_and_limit_from_the_store_and_csv_matches()
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        for (var i = 0; i < 5; i++) await receiver.SendPerMessageAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            await udp.SendToAsync("@id radar-1\nt=1.5,h=2\n"u8.ToArray(), receiver.Udp);
        await receiver.WaitForStoredAsync(6);

        using (var all = JsonDocument.Parse(await client.GetStringAsync("api/readings")))
            Assert.Equal(6, all.RootElement.GetArrayLength());
        using (var newest = JsonDocument.Parse(await client.GetStringAsync("api/readings?device=127.0.0.1&limit=2")))
            Assert.Equal(["3", "4"], newest.RootElement.EnumerateArray().Select(r => r.GetProperty("raw").GetString()));
        using (var radar = JsonDocument.Parse(await client.GetStringAsync("api/readings?device=radar-1&since=15m")))
        {
            var r = Assert.Single(radar.RootElement.EnumerateArray());
            Assert.Equal(1.5, r.GetProperty("values").GetProperty("t").GetDouble());
            Assert.Equal("udp", r.GetProperty("transport").GetString());
        }
        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        using (var none = JsonDocument.Parse(await client.GetStringAsync($"api/readings?since={future}")))
            Assert.Equal(0, none.RootElement.GetArrayLength());
        using (var before = JsonDocument.Parse(await client.GetStringAsync("api/readings?until=1h")))
            Assert.Equal(0, before.RootElement.GetArrayLength());

        var csv = (await client.GetStringAsync("api/readings.csv?device=radar-1")).TrimEnd('\n').Split('\n');
        Assert.Equal("received_at,device,seq,remote,transport,raw,format,value,values_json,partial", csv[0]);
        Assert.EndsWith(",udp,\"t=1.5,h=2\",kv,1.5,\"{\"\"t\"\":1.5,\"\"h\"\":2}\",0", Assert.Single(csv[1..]), StringComparison.Ordinal);
        Assert.Equal(7, (await client.GetStringAsync("api/readings.csv")).TrimEnd('\n').Split('\n').Length);
    }

    [Theory]
    [InlineData("api/readings?limit=0", "limit '0'")]
    [InlineData("api/readings?limit=abc", "limit 'abc'")]
    [InlineData("api/readings?limit=100001", "limit '100001'")]
    [InlineData("api/readings?since=yesterday-ish", "since 'yesterday-ish'")]
    [InlineData("api/readings?until=soon", "until 'soon'")]
    [InlineData("api/readings?since=1h&until=2h", "until is before since")]
    [InlineData("api/readings.csv?since=never", "since 'never'")]
    [InlineData("api/readings/stream?after=x", "'x' must be an event id")]
    public async Task Bad_parameters_get_400_with_the_reason(string url, string reason)
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_show_the_receiver_counters_store_lag_and_stream_subscribers()
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        await receiver.SendPerMessageAsync("1");
        await receiver.WaitForStoredAsync(1);
        using var stream = await client.GetAsync("api/readings/stream", HttpCompletionOption.ResponseHeadersRead);
        var events = new SseReader(new StreamReader(await stream.Content.ReadAsStreamAsync()));
        await receiver.SendPerMessageAsync("2");
        Assert.NotNull(await events.NextAsync(TestReceiver.Patience)); // the stream is subscribed by now
        using var stats = JsonDocument.Parse(await client.GetStringAsync("api/stats"));
        var root = stats.RootElement;
        Assert.Equal(2, root.GetProperty("readings_stored").GetInt64());
        Assert.Equal(2, root.GetProperty("connections_accepted").GetInt64());
        Assert.Equal(0, root.GetProperty("store_lag").GetInt64());
        Assert.Equal(1, root.GetProperty("stream_subscribers").GetInt64());
        Assert.True(root.TryGetProperty("lines_too_long", out _));
        Assert.False(root.TryGetProperty("mqtt", out _));
    }

    [Fact]
    public async Task A_stream_resumed_with_Last_Event_ID_gets_exactly_what_it_missed_in_order()
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        string firstId;
        using (var response = await client.GetAsync("api/readings/stream", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var events = new SseReader(new StreamReader(await response.Content.ReadAsStreamAsync()));
            await receiver.SendPerMessageAsync("10");
            var first = await events.NextAsync(TestReceiver.Patience);
            Assert.Equal("message", first!.Value.Event);
            Assert.Equal("10", JsonDocument.Parse(first.Value.Data).RootElement.GetProperty("raw").GetString());
            firstId = first.Value.Id!;
        }
        // The page is away; three readings arrive meanwhile.
        foreach (var v in new[] { "11", "12", "13" }) await receiver.SendPerMessageAsync(v);
        await receiver.WaitForStoredAsync(4);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/readings/stream");
        request.Headers.Add("Last-Event-ID", firstId);
        using var resumed = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var again = new SseReader(new StreamReader(await resumed.Content.ReadAsStreamAsync()));
        var ids = new List<long>();
        var raws = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var e = (await again.NextAsync(TestReceiver.Patience))!.Value;
            ids.Add(long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture));
            raws.Add(JsonDocument.Parse(e.Data).RootElement.GetProperty("raw").GetString()!);
        }
        Assert.Equal(["11", "12", "13"], raws);
        var start = long.Parse(firstId, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([start + 1, start + 2, start + 3], ids);
        // And it carries on live.
        await receiver.SendPerMessageAsync("14");
        var live = (await again.NextAsync(TestReceiver.Patience))!.Value;
        Assert.Equal((start + 4).ToString(System.Globalization.CultureInfo.InvariantCulture), live.Id);
    }

    [Fact]
    public async Task History_and_a_stream_from_its_cursor_meet_without_a_gap()
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        for (var i = 0; i < 3; i++) await receiver.SendPerMessageAsync($"h{i}");
        await receiver.WaitForStoredAsync(3);
        using var history = await client.GetAsync("api/readings");
        var cursor = Assert.Single(history.Headers.GetValues("Espwire-Last-Event-Id"));
        var seen = JsonDocument.Parse(await history.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("seq").GetInt64()).ToHashSet();
        // Readings arrive between the history and the stream's start: the stream from the cursor must bring them.
        for (var i = 3; i < 6; i++) await receiver.SendPerMessageAsync($"h{i}");
        await receiver.WaitForStoredAsync(6);
        using var stream = await client.GetAsync($"api/readings/stream?after={cursor}", HttpCompletionOption.ResponseHeadersRead);
        var events = new SseReader(new StreamReader(await stream.Content.ReadAsStreamAsync()));
        while (seen.Count < 6)
        {
            var e = (await events.NextAsync(TestReceiver.Patience))!.Value;
            seen.Add(JsonDocument.Parse(e.Data).RootElement.GetProperty("seq").GetInt64());
        }
        Assert.Equal([1, 2, 3, 4, 5, 6], seen.Order());
    }

    [Fact]
    public async Task A_stop_ends_open_streams()
    {
        await using var receiver = await StartAsync();
        using var client = Client(receiver);
        using var response = await client.GetAsync("api/readings/stream", HttpCompletionOption.ResponseHeadersRead);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 2000", await stream.ReadLineAsync().WaitAsync(TestReceiver.Patience));
        await receiver.StopAsync();
        string? line;
        do line = await stream.ReadLineAsync().WaitAsync(TestReceiver.Patience);
        while (line is not null);
    }

    [Fact]
    public async Task With_a_token_requests_need_it_as_bearer_or_once_as_a_query_that_sets_an_HttpOnly_cookie()
    {
        await using var receiver = await StartAsync(token: "s3cret-token");
        var baseAddress = new Uri($"http://{receiver.Host.HttpEndpoints[0]}/");
        using var anonymous = new HttpClient { BaseAddress = baseAddress, Timeout = TestReceiver.Patience };
        using (var refused = await anonymous.GetAsync("api/stats"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("token", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/stats?token=wrong")).StatusCode);
        using (var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "api/stats"))
        {
            wrongBearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-tokeN");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrongBearer)).StatusCode);
        }
        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "api/stats"))
        {
            bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-token");
            Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(bearer)).StatusCode);
        }

        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TestReceiver.Patience };
        using (var once = await browser.GetAsync("?token=s3cret-token"))
        {
            Assert.Equal(HttpStatusCode.Redirect, once.StatusCode);
            Assert.Equal("/", once.Headers.Location?.OriginalString);
            var setCookie = Assert.Single(once.Headers.GetValues("Set-Cookie"));
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/devices")).StatusCode);
    }
}
