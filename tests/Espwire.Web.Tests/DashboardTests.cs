using System.Text.Json;
using Espwire.Web.Tests.Support;
using Microsoft.Playwright;

namespace Espwire.Web.Tests;

/// <summary>The live page in a real browser (Debian's chromium), against a receiver fed by emulated modules or sockets.</summary>
public sealed class DashboardTests
{
    private static async Task<JsonElement> ChartAsync(IPage page, string device)
    {
        var charts = await page.EvaluateAsync<JsonElement>("() => window.espwireLive.charts()");
        return charts.TryGetProperty(device, out var chart) ? chart : default;
    }

    /// <summary>Waits until the device's chart satisfies a JavaScript condition on <c>c</c> (its state, see app.js).</summary>
    private static Task WaitForChartAsync(IPage page, string device, string condition) =>
        page.WaitForFunctionAsync($"d => {{ const c = window.espwireLive && window.espwireLive.charts()[d]; return !!c && ({condition}); }}", device,
            new PageWaitForFunctionOptions { Timeout = Chromium.Patience, PollingInterval = 100 });

    [Fact]
    public async Task Devices_from_emulated_modules_appear_and_each_chart_grows_along_a_time_axis()
    {
        await using var receiver = await WebReceiver.StartAsync();
        receiver.StartModules(3, TimeSpan.FromMilliseconds(100));
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(receiver.Url);

        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(3, new() { Timeout = Chromium.Patience });
        var names = await page.Locator("#devices tbody tr td:first-child").AllTextContentsAsync();
        Assert.Equal(["127.0.0.1", "radar-1", "radar-2"], names);
        await Assertions.Expect(page.Locator("#devices tbody tr[data-device='radar-1'] td:nth-child(3)")).ToHaveTextAsync("per-message");

        foreach (var device in names) await WaitForChartAsync(page, device, "c.points >= 3");
        var before = new Dictionary<string, JsonElement>();
        foreach (var device in names) before[device] = await ChartAsync(page, device);
        Assert.Equal(["value"], before["127.0.0.1"].GetProperty("series").EnumerateArray().Select(s => s.GetProperty("label").GetString()));
        Assert.Equal(["distance", "velocity"], before["radar-1"].GetProperty("series").EnumerateArray().Select(s => s.GetProperty("label").GetString()));
        foreach (var device in names)
        {
            Assert.True(before[device].GetProperty("xTime").GetBoolean(), "the x-axis is a time scale");
            var last = before[device].GetProperty("last").GetDouble();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            Assert.InRange(last, now - 60, now + 5); // x values are the readings' receive times, in seconds
            await WaitForChartAsync(page, device, $"c.points > {before[device].GetProperty("points").GetInt32()} && c.last > {last}");
        }
        // uPlot drew the axes: one canvas per chart and tick labels under it.
        Assert.Equal(3, await page.Locator(".chart .uplot canvas").CountAsync());
        Assert.True(await page.Locator(".chart .u-axis").CountAsync() >= 6);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ArtefactPath("live-dashboard.png"), FullPage = true });
        Assert.True(new FileInfo(Chromium.ArtefactPath("live-dashboard.png")).Length > 10_000);
    }

    [Fact]
    public async Task Pause_stops_the_chart_and_resume_catches_up_with_what_arrived_meanwhile()
    {
        await using var receiver = await WebReceiver.StartAsync();
        var send = await receiver.ConnectAsync("radar-1");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(receiver.Url);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live", new() { Timeout = Chromium.Patience });
        for (var i = 0; i < 5; i++) await send($"distance={i},velocity=0.5");
        await WaitForChartAsync(page, "radar-1", "c.points === 5");

        await page.ClickAsync("#pause");
        await Assertions.Expect(page.Locator("#pause")).ToHaveTextAsync("Resume");
        for (var i = 5; i < 12; i++) await send($"distance={i},velocity=0.5");
        // The page has them (the stream keeps running) but the chart does not move.
        await WaitForChartAsync(page, "radar-1", "c.received === 12");
        Assert.Equal(5, (await ChartAsync(page, "radar-1")).GetProperty("points").GetInt32());
        // Two more draw ticks pass while paused, and still nothing moves.
        var ticks = await page.EvaluateAsync<int>("() => window.espwireLive.ticks()");
        await page.WaitForFunctionAsync($"() => window.espwireLive.ticks() >= {ticks + 2}", null, new() { Timeout = Chromium.Patience });
        Assert.Equal(5, (await ChartAsync(page, "radar-1")).GetProperty("points").GetInt32());

        await page.ClickAsync("#pause");
        await WaitForChartAsync(page, "radar-1", "c.points === 12");
    }

    [Fact]
    public async Task A_legend_toggle_survives_new_data_and_a_new_series()
    {
        await using var receiver = await WebReceiver.StartAsync();
        var send = await receiver.ConnectAsync("radar-1");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(receiver.Url);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live", new() { Timeout = Chromium.Patience });
        await send("distance=1,velocity=0.5");
        await WaitForChartAsync(page, "radar-1", "c.points === 1");

        await page.Locator(".chart[data-device='radar-1'] .u-legend .u-series").Filter(new() { HasText = "velocity" }).ClickAsync();
        await WaitForChartAsync(page, "radar-1", "c.series.find(s => s.label === 'velocity').show === false");
        for (var i = 2; i <= 4; i++) await send($"distance={i},velocity=0.5");
        await WaitForChartAsync(page, "radar-1", "c.points === 4");
        Assert.False(Series(await ChartAsync(page, "radar-1"), "velocity"));
        Assert.True(Series(await ChartAsync(page, "radar-1"), "distance"));
        // A new value name rebuilds the chart with three series; the hidden one stays hidden.
        await send("distance=5,velocity=0.5,angle=10");
        await WaitForChartAsync(page, "radar-1", "c.series.length === 3 && c.points === 5");
        Assert.False(Series(await ChartAsync(page, "radar-1"), "velocity"));
        Assert.True(Series(await ChartAsync(page, "radar-1"), "angle"));
    }

    private static bool Series(JsonElement chart, string label) =>
        chart.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("label").GetString() == label).GetProperty("show").GetBoolean();

    [Fact]
    public async Task The_log_filter_shows_only_the_chosen_device_s_lines()
    {
        await using var receiver = await WebReceiver.StartAsync();
        var radar = await receiver.ConnectAsync("radar-1");
        var counter = await receiver.ConnectAsync("counter");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(receiver.Url);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live", new() { Timeout = Chromium.Patience });
        for (var i = 0; i < 3; i++)
        {
            await radar($"distance={i}");
            await counter(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Assertions.Expect(page.Locator("#log tbody tr")).ToHaveCountAsync(6, new() { Timeout = Chromium.Patience });

        await page.SelectOptionAsync("#log-device", "counter");
        await Assertions.Expect(page.Locator("#log tbody tr")).ToHaveCountAsync(3);
        Assert.All(await page.Locator("#log tbody tr td:nth-child(2)").AllTextContentsAsync(), d => Assert.Equal("counter", d));
        await counter("3");
        await radar("distance=3");
        await Assertions.Expect(page.Locator("#log tbody tr")).ToHaveCountAsync(4, new() { Timeout = Chromium.Patience });
        Assert.Equal("3", await page.Locator("#log tbody tr").First.Locator("td:nth-child(4)").TextContentAsync());

        await page.SelectOptionAsync("#log-device", "");
        await Assertions.Expect(page.Locator("#log tbody tr")).ToHaveCountAsync(8);
    }

    [Fact]
    public async Task With_a_token_the_page_is_refused_until_opened_once_with_it_then_works_from_an_HttpOnly_cookie()
    {
        await using var receiver = await WebReceiver.StartAsync(token: "web-test-token");
        var send = await receiver.ConnectAsync("radar-1");
        await using var chromium = await Chromium.LaunchAsync();
        var page = chromium.Context.Pages.Count > 0 ? chromium.Context.Pages[0] : await chromium.Context.NewPageAsync();

        var refused = await page.GotoAsync(receiver.Url);
        Assert.Equal(401, refused!.Status);
        Assert.Contains("token", await page.TextContentAsync("body"), StringComparison.Ordinal);

        var opened = await page.GotoAsync(receiver.Url + "?token=web-test-token");
        Assert.Equal(200, opened!.Status);
        Assert.Equal(receiver.Url, page.Url); // the token left the address bar
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("live", new() { Timeout = Chromium.Patience });
        await send("distance=1");
        await Assertions.Expect(page.Locator("#devices tbody tr")).ToHaveCountAsync(1, new() { Timeout = Chromium.Patience });
        await WaitForChartAsync(page, "radar-1", "c.points === 1");

        var cookie = Assert.Single(await chromium.Context.CookiesAsync(), c => c.Name == "espwire_token");
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain("web-test-token", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
    }
}
