using System.Text.Json;
using System.Text.Json.Serialization;

namespace Espwire.Cli.At;

/// <summary>One JSON style for every --json output of the AT verbs: camelCase, enums as strings.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Compact, one object per line (JSON Lines) for streams of events.</summary>
    public static readonly JsonSerializerOptions Lines = new(Options) { WriteIndented = false };

    public static void Write<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Options));

    public static void WriteLine<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Lines));
}
