using System.Globalization;

namespace Espwire.Receiver.Sinks;

/// <summary>Stored readings as CSV (RFC 4180 quoting): <c>espwire readings --format csv</c> and <c>GET /api/readings.csv</c>.</summary>
public static class StoredReadingCsv
{
    public const string Header = "received_at,device,seq,remote,transport,raw,format,value,values_json,partial";

    public static string Row(StoredReading row) => string.Join(',',
        row.ReceivedAt.ToString(StoredReadingJson.TimeFormat, CultureInfo.InvariantCulture), Quote(row.Device),
        row.Sequence.ToString(CultureInfo.InvariantCulture), Quote(row.Remote), row.Transport, Quote(row.Raw), row.Format,
        row.Value?.ToString("R", CultureInfo.InvariantCulture) ?? "", Quote(row.ValuesJson ?? ""), row.Partial ? "1" : "0");

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
