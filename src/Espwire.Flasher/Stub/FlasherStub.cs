using System.Text.Json;
using Espwire.Flasher.Errors;

namespace Espwire.Flasher.Stub;

/// <summary>
/// A flasher stub in esptool's JSON format: <c>entry</c>, <c>text</c>/<c>data</c> (base64) with their load
/// addresses. Espwire ships no stub; it loads one the user has (esptool, the Arduino ESP8266 core).
/// </summary>
public sealed record FlasherStub(uint Entry, byte[] Text, uint TextStart, byte[] Data, uint DataStart, string Source)
{
    /// <summary>Stubs are a few KB; anything far larger is not a stub.</summary>
    public const long MaxFileBytes = 1 << 20;

    public static FlasherStub Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FlasherException($"Stub file {path} does not exist.", "Give esptool's stub JSON for the ESP8266 (e.g. .../esptool/targets/stub_flasher/1/esp8266.json), or --no-stub.");
        if (info.Length > MaxFileBytes) throw new FlasherException($"{path} is {info.Length} bytes, too large for a flasher stub.", "Give esptool's stub JSON for the ESP8266, or --no-stub.");
        return Parse(File.ReadAllText(path), path);
    }

    public static FlasherStub Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var text = Convert.FromBase64String(root.GetProperty("text").GetString() ?? "");
            var data = root.TryGetProperty("data", out var d) ? Convert.FromBase64String(d.GetString() ?? "") : [];
            var dataStart = root.TryGetProperty("data_start", out var ds) ? ds.GetUInt32() : 0;
            var stub = new FlasherStub(root.GetProperty("entry").GetUInt32(), text, root.GetProperty("text_start").GetUInt32(), data, dataStart, source);
            if (stub.Text.Length == 0 || stub.Entry == 0)
                throw new FormatException("the stub has no text or no entry point");
            return stub;
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FlasherException($"{source} is not an esptool stub JSON: {e.Message}.", "Stub files have entry, text, text_start, data and data_start; give the ESP8266 one, or --no-stub.", e);
        }
    }
}
