using System.Globalization;
using System.Text;
using System.Text.Json;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;
using Espwire.Receiver.Sinks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Espwire.Receiver.Live;

/// <summary>The HTTP side (<c>--http</c>): <c>GET /</c> the live page and its files, <c>GET /api/devices</c>,
/// <c>GET /api/readings</c> and <c>/api/readings.csv</c> (from the store), <c>GET /api/stats</c>, and
/// <c>GET /api/readings/stream</c> (server-sent events with ids; <c>Last-Event-ID</c> or <c>?after=</c> resumes).</summary>
internal static class LiveApi
{
    /// <summary>The newest live event id when a history answer was read: a stream opened with <c>?after=</c> this id
    /// carries on where the history ends (readings in both are the same device and seq; the page keeps one).</summary>
    public const string CursorHeader = "Espwire-Last-Event-Id";
    public const int DefaultLimit = 1000;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void Map(WebApplication app, LiveHub hub, ReceiverCore core, LiveCounters counters)
    {
        if (core.Options.HttpToken is { } token)
        {
            var gate = new HttpTokenGate(token);
            app.Use(gate.InvokeAsync);
        }
        app.MapGet("/", () => LiveAssets.Serve("index.html"));
        app.MapGet("/assets/{name}", (string name) => LiveAssets.Serve(name));
        app.MapGet("/api/stats", (HttpContext context) => WriteJsonAsync(context, w => counters.Write(w)));
        app.MapGet("/api/devices", (HttpContext context) => DevicesAsync(context, hub, core));
        app.MapGet("/api/readings", (HttpContext context) => ReadingsAsync(context, hub, core, csv: false));
        app.MapGet("/api/readings.csv", (HttpContext context) => ReadingsAsync(context, hub, core, csv: true));
        app.MapGet("/api/readings/stream", (HttpContext context) => StreamAsync(context, hub, core));
    }

    private static async Task DevicesAsync(HttpContext context, LiveHub hub, ReceiverCore core)
    {
        var live = hub.Devices().ToDictionary(d => d.Device, StringComparer.Ordinal);
        IReadOnlyList<DeviceSummary> stored = [];
        if (core.Options.DatabasePath is { } db && File.Exists(db))
            stored = await ReadingStore.DevicesAsync(db, context.RequestAborted).ConfigureAwait(false);
        var names = stored.Select(s => s.Device).Union(live.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var byName = stored.ToDictionary(s => s.Device, StringComparer.Ordinal);
        await WriteJsonAsync(context, w =>
        {
            w.WriteStartArray();
            foreach (var name in names)
            {
                var s = byName.GetValueOrDefault(name);
                var l = live.GetValueOrDefault(name);
                w.WriteStartObject();
                w.WriteString("device", name);
                w.WriteNumber("count", s?.Count ?? l!.Count);
                if (s is not null) w.WriteString("first_seen", Time(s.FirstSeen));
                w.WriteString("last_seen", l is not null ? Time(l.Last.ReceivedAt) : Time(s!.LastSeen));
                w.WriteString("remote", l?.Last.Remote.ToString() ?? s!.LastRemote);
                w.WriteString("transport", l is not null ? (l.Last.Transport == Transport.Udp ? "udp" : "tcp") : s!.LastTransport);
                // How it talks, as far as this run has seen it; a device only in the store has not talked since the start.
                w.WriteString("style", l?.Style.Name() ?? (s!.LastTransport == "udp" ? "UDP" : "TCP"));
                w.WriteNumber("readings_per_second", Math.Round(l?.ReadingsPerSecond ?? 0, 2));
                w.WriteString("last_raw", l?.Last.Raw ?? s!.LastRaw);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static async Task ReadingsAsync(HttpContext context, LiveHub hub, ReceiverCore core, bool csv)
    {
        var (query, error) = ReadingsRequest.Parse(context.Request.Query, csv ? null : DefaultLimit, DateTimeOffset.UtcNow);
        if (query is null)
        {
            await BadRequestAsync(context, error!).ConfigureAwait(false);
            return;
        }
        // The cursor is read before the store: every reading announced up to it is already committed, so history and a
        // stream from the cursor overlap at most, never leave a gap.
        context.Response.Headers[CursorHeader] = hub.LastId.ToString(CultureInfo.InvariantCulture);
        IReadOnlyList<StoredReading> rows;
        if (core.Options.DatabasePath is { } db && File.Exists(db))
            rows = await ReadingStore.QueryAsync(db, query, context.RequestAborted).ConfigureAwait(false);
        else
            rows = hub.Recent(r => Matches(query, r), query.Limit).Select(e => Stored(e)).ToArray();
        if (csv)
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            var text = new StringBuilder(StoredReadingCsv.Header).Append('\n');
            foreach (var row in rows) text.Append(StoredReadingCsv.Row(row)).Append('\n');
            await context.Response.WriteAsync(text.ToString(), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await WriteJsonAsync(context, w =>
        {
            w.WriteStartArray();
            foreach (var row in rows) StoredReadingJson.Write(w, row);
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, LiveHub hub, ReceiverCore core)
    {
        var (after, error) = ReadingsRequest.ResumePoint(context.Request);
        if (error is not null)
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        var device = context.Request.Query["device"].FirstOrDefault() is { Length: > 0 } d ? d : null;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Ends with the browser or with the receiver's stop, so a stop never waits on open streams.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, core.Stopping);
        var aborted = linked.Token;
        var subscription = hub.Subscribe(after, aborted);
        var text = new StringBuilder("retry: 2000\n: espwire live readings\n\n");
        if (!subscription.Complete)
            text.Append("event: gap\ndata: {\"reason\":\"readings after that id are no longer held in memory; reload them from /api/readings\"}\n\n");
        try
        {
            foreach (var item in subscription.Replay) Append(text, item, device);
            await response.WriteAsync(text.ToString(), aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            var reader = subscription.Live;
            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                beat.CancelAfter(Heartbeat);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(beat.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await response.WriteAsync(": still here\n\n", aborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    continue;
                }
                if (!more) break;
                text.Clear();
                // Everything waiting goes out in one write and one flush: at 1,000 readings/s a flush per event costs more.
                while (text.Length < 64 * 1024 && reader.TryRead(out var item)) Append(text, item, device);
                if (text.Length == 0) continue;
                await response.WriteAsync(text.ToString(), aborted).ConfigureAwait(false);
                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away, or the receiver stops.
        }
        catch (LiveSubscriberTooSlowException)
        {
            // Cut off for falling behind: the browser reconnects with Last-Event-ID.
        }
    }

    private static void Append(StringBuilder text, LiveEvent item, string? device)
    {
        if (device is not null && item.Reading.Device != device) return;
        text.Append("id: ").Append(item.Id.ToString(CultureInfo.InvariantCulture)).Append("\ndata: ")
            .Append(ReadingJson.ToJson(item.Reading)).Append("\n\n");
    }

    private static bool Matches(ReadingQuery query, Reading r) =>
        (query.Device is null || r.Device == query.Device)
        && (query.Since is null || r.ReceivedAt >= query.Since)
        && (query.Until is null || r.ReceivedAt < query.Until);

    /// <summary>A reading kept in memory, shaped as a store row (without a database, its id is the live event id).</summary>
    private static StoredReading Stored(LiveEvent e)
    {
        var r = e.Reading;
        var values = r.Format is ReadingFormat.Number or ReadingFormat.Text ? null
            : "{" + string.Join(",", r.Values.Select(v => JsonSerializer.Serialize(v.Name) + ":" +
                (double.IsFinite(v.Value) ? v.Value.ToString("R", CultureInfo.InvariantCulture) : "null"))) + "}";
        return new StoredReading(e.Id, r.Device, r.Sequence, r.ReceivedAtMicros, r.Remote.ToString(),
            r.Transport == Transport.Udp ? "udp" : "tcp", r.Raw, SqliteReadingSink.FormatName(r.Format), r.FirstValue, values,
            (r.Flags & ReadingFlags.Partial) != 0);
    }

    private static string Time(DateTimeOffset t) => t.ToString(StoredReadingJson.TimeFormat, CultureInfo.InvariantCulture);

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, ReadingJson.WriterOptions)) write(writer);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task BadRequestAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", reason);
            w.WriteEndObject();
        });
    }
}
