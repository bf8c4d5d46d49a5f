using System.Text.Json;

namespace Espwire.Receiver.Readings;

/// <summary>The one JSON shape of a reading, used by the JSON-lines sink, <c>--log json</c> and the HTTP API.</summary>
public static class ReadingJson
{
    /// <summary>Writer options for every JSON the receiver emits: quotes and non-ASCII stay readable (no HTML escaping;
    /// this JSON is never pasted into HTML unescaped).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializer options for records such as the stats snapshot: snake_case like the reading fields.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void Write(Utf8JsonWriter writer, Reading reading)
    {
        writer.WriteStartObject();
        writer.WriteString("device", reading.Device);
        writer.WriteNumber("seq", reading.Sequence);
        writer.WriteString("received_at", reading.ReceivedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteNumber("received_at_us", reading.ReceivedAtMicros);
        writer.WriteString("remote", reading.Remote.ToString());
        writer.WriteString("transport", reading.Transport == Transport.Tcp ? "tcp" : "udp");
        writer.WriteString("raw", reading.Raw);
        writer.WriteString("format", Sinks.SqliteReadingSink.FormatName(reading.Format));
        writer.WriteStartObject("values");
        foreach (var value in reading.Values)
        {
            if (double.IsFinite(value.Value)) writer.WriteNumber(value.Name, value.Value);
            else writer.WriteNull(value.Name);
        }
        writer.WriteEndObject();
        if ((reading.Flags & ReadingFlags.Partial) != 0) writer.WriteBoolean("partial", true);
        writer.WriteEndObject();
    }

    public static string ToJson(Reading reading)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) Write(writer, reading);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
