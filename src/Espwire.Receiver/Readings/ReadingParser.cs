using System.Globalization;
using System.Text.Json;

namespace Espwire.Receiver.Readings;

/// <summary>Finds the numbers in a line of text: a bare number, <c>key=value</c> pairs, comma-separated
/// numbers or a JSON object. Anything else is kept as text with no values.</summary>
public static class ReadingParser
{
    public const string ValueName = "value";
    private const NumberStyles Numeric = NumberStyles.Float;
    private static readonly string[] ColumnNames = Enumerable.Range(0, 64).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly char[] PairSeparators = [' ', '\t', ',', ';', '&'];

    public static ParsedLine Parse(string text)
    {
        var span = text.AsSpan().Trim();
        if (span.IsEmpty) return new ParsedLine(ReadingFormat.Text, [], null);

        // The seed's case first and cheapest: a bare counter.
        if (double.TryParse(span, Numeric, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return new ParsedLine(ReadingFormat.Number, [new ReadingValue(ValueName, number)], null);

        if (span[0] == '{') return ParseJson(text);
        if (span.Contains('=')) return ParseKeyValue(span.ToString());
        if (span.Contains(',')) return ParseCsv(span.ToString());
        return new ParsedLine(ReadingFormat.Text, [], null);
    }

    private static ParsedLine ParseJson(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return new ParsedLine(ReadingFormat.Text, [], null);
            var values = new List<ReadingValue>();
            string? id = null;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Number when property.Value.TryGetDouble(out var d) && double.IsFinite(d):
                        values.Add(new ReadingValue(property.Name, d));
                        break;
                    case JsonValueKind.True:
                        values.Add(new ReadingValue(property.Name, 1));
                        break;
                    case JsonValueKind.False:
                        values.Add(new ReadingValue(property.Name, 0));
                        break;
                    case JsonValueKind.String when property.Name == "id":
                        id = property.Value.GetString();
                        break;
                    case JsonValueKind.Number when property.Name == "id":
                        id = property.Value.GetRawText();
                        break;
                }
            }
            return new ParsedLine(ReadingFormat.Json, values.ToArray(), string.IsNullOrWhiteSpace(id) ? null : id);
        }
        catch (JsonException)
        {
            return new ParsedLine(ReadingFormat.Text, [], null);
        }
    }

    private static ParsedLine ParseKeyValue(string text)
    {
        var values = new List<ReadingValue>();
        string? id = null;
        foreach (var token in text.Split(PairSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return new ParsedLine(ReadingFormat.Text, [], null);
            var key = token[..eq];
            var value = token.AsSpan(eq + 1);
            if (double.TryParse(value, Numeric, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) values.Add(new ReadingValue(key, d));
            else if (key == "id" && !value.IsEmpty) id = value.ToString();
        }
        return new ParsedLine(ReadingFormat.KeyValue, values.ToArray(), id);
    }

    private static ParsedLine ParseCsv(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new ReadingValue[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], Numeric, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                return new ParsedLine(ReadingFormat.Text, [], null);
            values[i] = new ReadingValue(i < ColumnNames.Length ? ColumnNames[i] : i.ToString(CultureInfo.InvariantCulture), d);
        }
        return new ParsedLine(ReadingFormat.Csv, values, null);
    }
}
