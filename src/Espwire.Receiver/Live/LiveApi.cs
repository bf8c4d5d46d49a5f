using System.Text;
using System.Text.Json;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Espwire.Receiver.Live;

/// <summary>The HTTP side (<c>--http</c>): <c>GET /</c> the live page, <c>GET /api/readings?device=&amp;limit=</c> recent
/// readings as JSON, <c>GET /api/readings/stream</c> new readings as server-sent events, <c>GET /api/stats</c> counters.</summary>
internal static class LiveApi
{
    public static void Map(WebApplication app, LiveHub hub, ReceiverCore core)
    {
        app.MapGet("/", () => Results.Content(LivePage.Html, "text/html; charset=utf-8"));
        app.MapGet("/api/stats", () => Results.Json(core.Snapshot(), ReadingJson.SerializerOptions));
        app.MapGet("/api/readings", async (HttpContext context) =>
        {
            var device = context.Request.Query["device"].FirstOrDefault();
            var limit = int.TryParse(context.Request.Query["limit"].FirstOrDefault(), out var l) ? Math.Clamp(l, 1, 2000) : 100;
            context.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(context.Response.Body, ReadingJson.WriterOptions);
            writer.WriteStartArray();
            foreach (var reading in hub.Recent(device, limit)) ReadingJson.Write(writer, reading);
            writer.WriteEndArray();
        });
        app.MapGet("/api/readings/stream", async (HttpContext context) =>
        {
            var device = context.Request.Query["device"].FirstOrDefault();
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            // Ends with the browser or with the receiver's stop, so a stop never waits on open streams.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, core.Stopping);
            var aborted = linked.Token;
            var readings = hub.Subscribe(aborted);
            await context.Response.WriteAsync(": espwire live readings\n\n", aborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            try
            {
                await foreach (var reading in readings.ReadAllAsync(aborted).ConfigureAwait(false))
                {
                    if (device is not null && reading.Device != device) continue;
                    await context.Response.WriteAsync("data: " + ReadingJson.ToJson(reading) + "\n\n", Encoding.UTF8, aborted).ConfigureAwait(false);
                    if (readings.Count == 0) await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The browser went away, or the receiver stops.
            }
        });
    }
}
