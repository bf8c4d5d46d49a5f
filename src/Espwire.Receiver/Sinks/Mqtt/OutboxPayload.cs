using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>The JSON a reading is published as: <c>device</c>, <c>seq</c>, <c>received_at</c>, <c>transport</c>,
/// <c>raw</c>, <c>format</c>, <c>values</c> (and <c>partial</c> when true). Consumers deduplicate on (device, seq).</summary>
internal static class OutboxPayload
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>From a stored row: <paramref name="valuesJson"/> is the store's values object (kept as it is), or
    /// null, when <paramref name="value"/> (a bare number) or nothing (text) is the value.</summary>
    public static byte[] FromRow(string device, long seq, long receivedAtMicros, string transport, string raw, string format,
        double? value, string? valuesJson, bool partial)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + raw.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, ReadingJson.WriterOptions))
        {
            Head(writer, device, seq, receivedAtMicros, transport, raw, format);
            writer.WritePropertyName("values");
            if (valuesJson is not null) writer.WriteRawValue(valuesJson, skipInputValidation: true);
            else
            {
                writer.WriteStartObject();
                if (format == "number" && value is { } number) Number(writer, ReadingParser.ValueName, number);
                writer.WriteEndObject();
            }
            if (partial) writer.WriteBoolean("partial", true);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] FromReading(Reading reading)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + reading.Raw.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, ReadingJson.WriterOptions))
        {
            Head(writer, reading.Device, reading.Sequence, reading.ReceivedAtMicros, reading.Transport == Transport.Tcp ? "tcp" : "udp",
                reading.Raw, SqliteReadingSink.FormatName(reading.Format));
            writer.WriteStartObject("values");
            foreach (var value in reading.Values) Number(writer, value.Name, value.Value);
            writer.WriteEndObject();
            if ((reading.Flags & ReadingFlags.Partial) != 0) writer.WriteBoolean("partial", true);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The names of the numeric values in a store's values object (for discovery); empty when unreadable.</summary>
    public static IReadOnlyList<string> NumericNames(string? valuesJson, string format)
    {
        if (valuesJson is null) return format == "number" ? [ReadingParser.ValueName] : [];
        try
        {
            using var document = JsonDocument.Parse(valuesJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return [];
            return document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).Select(p => p.Name).ToArray();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>A stored row as UTF-8 straight from SQLite, into <paramref name="writer"/> (one JSON value; the
    /// caller resets the writer between rows). The same bytes as <see cref="FromRow"/>; a text that is not valid
    /// UTF-8 (a file written by something else) goes through a string, with replacement characters.</summary>
    public static void WriteRow(Utf8JsonWriter writer, ReadOnlySpan<byte> device, long seq, long receivedAtMicros, ReadOnlySpan<byte> transport,
        ReadOnlySpan<byte> raw, ReadOnlySpan<byte> format, double? value, ReadOnlySpan<byte> valuesJson, bool hasValuesJson, bool partial)
    {
        writer.WriteStartObject();
        Utf8String(writer, "device"u8, device);
        writer.WriteNumber("seq"u8, seq);
        Span<byte> time = stackalloc byte[40];
        if (!DateTimeOffset.UnixEpoch.AddTicks(receivedAtMicros * 10).TryFormat(time, out var written, TimeFormat, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("received_at does not fit its format");
        writer.WriteString("received_at"u8, time[..written]);
        Utf8String(writer, "transport"u8, transport);
        Utf8String(writer, "raw"u8, raw);
        Utf8String(writer, "format"u8, format);
        writer.WritePropertyName("values"u8);
        if (hasValuesJson)
        {
            if (System.Text.Unicode.Utf8.IsValid(valuesJson)) writer.WriteRawValue(valuesJson, skipInputValidation: true);
            else writer.WriteRawValue(System.Text.Encoding.UTF8.GetString(valuesJson), skipInputValidation: true);
        }
        else
        {
            writer.WriteStartObject();
            if (format.SequenceEqual("number"u8) && value is { } number) Number(writer, ReadingParser.ValueName, number);
            writer.WriteEndObject();
        }
        if (partial) writer.WriteBoolean("partial"u8, true);
        writer.WriteEndObject();
    }

    private static void Utf8String(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (System.Text.Unicode.Utf8.IsValid(value)) writer.WriteString(name, value);
        else writer.WriteString(name, System.Text.Encoding.UTF8.GetString(value));
    }

    private static void Head(Utf8JsonWriter writer, string device, long seq, long receivedAtMicros, string transport, string raw, string format)
    {
        writer.WriteStartObject();
        writer.WriteString("device", device);
        writer.WriteNumber("seq", seq);
        writer.WriteString("received_at", DateTimeOffset.UnixEpoch.AddTicks(receivedAtMicros * 10).ToString(TimeFormat, CultureInfo.InvariantCulture));
        writer.WriteString("transport", transport);
        writer.WriteString("raw", raw);
        writer.WriteString("format", format);
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }
}
