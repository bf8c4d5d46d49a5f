using System.Globalization;
using System.Text;
using System.Text.Json;
using Espwire.Receiver.Sinks;
using Spectre.Console;

namespace Espwire.Cli.Receiver;

/// <summary>Prints stored readings and devices as a table, CSV or JSON (the CSV and JSON shapes are the receiver's own,
/// shared with its HTTP API).</summary>
internal static class ReadingsRenderer
{
    public static void Write(TextWriter output, IReadOnlyList<StoredReading> rows, ReadingsFormat format)
    {
        switch (format)
        {
            case ReadingsFormat.Csv: WriteCsv(output, rows, header: true); break;
            case ReadingsFormat.Json: WriteJson(output, rows); break;
            default: WriteTable(output, rows); break;
        }
    }

    /// <summary>Readings that arrived while following (<c>--follow</c>): one line each, so they scroll like <c>tail -f</c>;
    /// JSON is one object per line.</summary>
    public static void WriteFollowed(TextWriter output, IReadOnlyList<StoredReading> rows, ReadingsFormat format)
    {
        switch (format)
        {
            case ReadingsFormat.Csv:
                WriteCsv(output, rows, header: false);
                break;
            case ReadingsFormat.Json:
                foreach (var row in rows) output.WriteLine(Json(row, indented: false));
                break;
            default:
                foreach (var row in rows)
                    output.WriteLine($"{Time(row.ReceivedAt)}  {row.Device}  #{row.Sequence.ToString(CultureInfo.InvariantCulture)}  {row.Transport} {row.Remote}  {row.Raw}{(row.Partial ? " (partial)" : "")}");
                break;
        }
        output.Flush();
    }

    /// <summary>The line under a limited answer, so a cut is never silent.</summary>
    public static string Shown(int shown, long total) =>
        $"showing the newest {shown.ToString("N0", CultureInfo.InvariantCulture)} of {total.ToString("N0", CultureInfo.InvariantCulture)} (--all for every reading, --limit N)";

    public static void WriteDevices(TextWriter output, IReadOnlyList<DeviceSummary> devices, ReadingsFormat format)
    {
        switch (format)
        {
            case ReadingsFormat.Csv:
                output.WriteLine("device,count,first_seen,last_seen,last_remote,last_transport,last_raw");
                foreach (var d in devices)
                    output.WriteLine(string.Join(',', Csv(d.Device), d.Count.ToString(CultureInfo.InvariantCulture), Time(d.FirstSeen), Time(d.LastSeen),
                        Csv(d.LastRemote), d.LastTransport, Csv(d.LastRaw)));
                break;
            case ReadingsFormat.Json:
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Espwire.Receiver.Readings.ReadingJson.WriterOptions.Encoder }))
                {
                    writer.WriteStartArray();
                    foreach (var d in devices)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("device", d.Device);
                        writer.WriteNumber("count", d.Count);
                        writer.WriteString("first_seen", Time(d.FirstSeen));
                        writer.WriteString("last_seen", Time(d.LastSeen));
                        writer.WriteString("last_remote", d.LastRemote);
                        writer.WriteString("last_transport", d.LastTransport);
                        writer.WriteString("last_raw", d.LastRaw);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
                break;
            default:
                var console = CliConsole.For(output);
                var table = new Table().AddColumns("device", "readings", "first seen (UTC)", "last seen (UTC)", "last from", "last line");
                table.Columns[1].RightAligned();
                foreach (var d in devices)
                    table.AddRow(Markup.Escape(d.Device), d.Count.ToString("N0", CultureInfo.InvariantCulture), Time(d.FirstSeen), Time(d.LastSeen),
                        Markup.Escape($"{d.LastTransport} {d.LastRemote}"), Markup.Escape(d.LastRaw));
                console.Write(table);
                console.WriteLine($"{devices.Count} device(s).");
                break;
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
                Markup.Escape(Time(row.ReceivedAt)),
                Markup.Escape(row.Device),
                row.Sequence.ToString(CultureInfo.InvariantCulture),
                Markup.Escape($"{row.Transport} {row.Remote}"),
                Markup.Escape(raw),
                Markup.Escape(row.ValuesJson ?? row.Value?.ToString("R", CultureInfo.InvariantCulture) ?? ""));
        }
        console.Write(table);
        console.WriteLine($"{rows.Count} reading(s).");
    }

    private static void WriteCsv(TextWriter output, IReadOnlyList<StoredReading> rows, bool header)
    {
        if (header) output.WriteLine(StoredReadingCsv.Header);
        foreach (var row in rows) output.WriteLine(StoredReadingCsv.Row(row));
    }

    private static string Csv(string value) => StoredReadingCsv.Quote(value);

    private static string Time(DateTimeOffset t) => t.ToString(StoredReadingJson.TimeFormat, CultureInfo.InvariantCulture);

    private static string Json(StoredReading row, bool indented)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = Espwire.Receiver.Readings.ReadingJson.WriterOptions.Encoder }))
            StoredReadingJson.Write(writer, row);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<StoredReading> rows)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Espwire.Receiver.Readings.ReadingJson.WriterOptions.Encoder }))
        {
            writer.WriteStartArray();
            foreach (var row in rows) StoredReadingJson.Write(writer, row);
            writer.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
