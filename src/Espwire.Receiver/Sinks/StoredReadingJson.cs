using System.Globalization;
using System.Text.Json;

namespace Espwire.Receiver.Sinks;

/// <summary>A stored reading as JSON: the shape of <see cref="Readings.ReadingJson"/> (what the live stream sends)
/// plus its row <c>id</c>. Used by <c>espwire readings --format json</c> and <c>GET /api/readings</c>.</summary>
public static class StoredReadingJson
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static void Write(Utf8JsonWriter writer, StoredReading row)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", row.Id);
        writer.WriteString("device", row.Device);
        writer.WriteNumber("seq", row.Sequence);
        writer.WriteString("received_at", row.ReceivedAt.ToString(TimeFormat, CultureInfo.InvariantCulture));
        writer.WriteNumber("received_at_us", row.ReceivedAtMicros);
        writer.WriteString("remote", row.Remote);
        writer.WriteString("transport", row.Transport);
        writer.WriteString("raw", row.Raw);
        writer.WriteString("format", row.Format);
        if (row.ValuesJson is { } values)
        {
            writer.WritePropertyName("values");
            writer.WriteRawValue(values, skipInputValidation: true);
        }
        else
        {
            writer.WriteStartObject("values");
            if (row.Value is { } value) writer.WriteNumber(Readings.ReadingParser.ValueName, value);
            writer.WriteEndObject();
        }
        if (row.Partial) writer.WriteBoolean("partial", true);
        writer.WriteEndObject();
    }
}
