using System.Globalization;
using System.Text;
using System.Text.Json;
using Espwire.Receiver.Sinks;
using Spectre.Console;

namespace Espwire.Cli.Receiver;

/// <summary>Prints stored readings as a table, CSV or JSON.</summary>
internal static class ReadingsRenderer
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static void Write(TextWriter output, IReadOnlyList<StoredReading> rows, ReadingsFormat format)
    {
        switch (format)
        {
            case ReadingsFormat.Csv: WriteCsv(output, rows); break;
            case ReadingsFormat.Json: WriteJson(output, rows); break;
            default: WriteTable(output, rows); break;
        }
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<StoredReading> rows)
    {
        var console = CliConsole.For(output);
        var table = new Table().AddColumns("received (UTC)", "device", "seq", "from", "raw", "values");
        foreach (var row in rows)
        {
            var raw = row.Partial ? row.Raw + " (partial)" : row.Raw;
            table.AddRow(
                Markup.Escape(row.ReceivedAt.ToString(TimeFormat, CultureInfo.InvariantCulture)),
                Markup.Escape(row.Device),
                row.Sequence.ToString(CultureInfo.InvariantCulture),
                Markup.Escape($"{row.Transport} {row.Remote}"),
                Markup.Escape(raw),
                Markup.Escape(row.ValuesJson ?? row.Value?.ToString("R", CultureInfo.InvariantCulture) ?? ""));
        }
        console.Write(table);
        console.WriteLine($"{rows.Count} reading(s).");
    }

    private static void WriteCsv(TextWriter output, IReadOnlyList<StoredReading> rows)
    {
        output.WriteLine("received_at,device,seq,remote,transport,raw,format,value,values_json,partial");
        foreach (var row in rows)
        {
            output.WriteLine(string.Join(',',
                row.ReceivedAt.ToString(TimeFormat, CultureInfo.InvariantCulture), Csv(row.Device),
                row.Sequence.ToString(CultureInfo.InvariantCulture), Csv(row.Remote), row.Transport, Csv(row.Raw), row.Format,
                row.Value?.ToString("R", CultureInfo.InvariantCulture) ?? "", Csv(row.ValuesJson ?? ""), row.Partial ? "1" : "0"));
        }
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteJson(TextWriter output, IReadOnlyList<StoredReading> rows)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Espwire.Receiver.Readings.ReadingJson.WriterOptions.Encoder }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("received_at", row.ReceivedAt.ToString(TimeFormat, CultureInfo.InvariantCulture));
                writer.WriteString("device", row.Device);
                writer.WriteNumber("seq", row.Sequence);
                writer.WriteString("remote", row.Remote);
                writer.WriteString("transport", row.Transport);
                writer.WriteString("raw", row.Raw);
                writer.WriteString("format", row.Format);
                if (row.ValuesJson is { } values)
                {
                    writer.WritePropertyName("values");
                    writer.WriteRawValue(values);
                }
                else if (row.Value is { } value)
                {
                    writer.WriteStartObject("values");
                    writer.WriteNumber("value", value);
                    writer.WriteEndObject();
                }
                if (row.Partial) writer.WriteBoolean("partial", true);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
