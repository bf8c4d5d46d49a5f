using System.IO.Compression;
using System.Text;
using Espwire.Flasher.Stub;

namespace Espwire.Flasher.Tests.Support;

/// <summary>Builds each place a user's stub lives, in a temporary folder, around the synthetic test stub.</summary>
internal static class StubFixtures
{
    /// <summary>Text bytes that exercise every escape Python writes in a bytes literal.</summary>
    public static readonly byte[] TrickyText = [0xA8, 0x10, 0x00, 0x40, (byte)'\'', (byte)'"', (byte)'\\', 0x0A, 0x0D, 0x09, 0x7F, 0x20, (byte)'A', 0xFF, 0xC0, 0xDB];

    public static string Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>An esptool v2/v3 esptool.py: Python around the base64 of the zlib of a dict literal, 76-column lines ending in a backslash.</summary>
    public static string EsptoolPy(FlasherStub stub, bool entryFirst = false)
    {
        var fields = new List<string>
        {
            $"'text': {Repr(stub.Text)}",
            $"'text_start': {stub.TextStart}",
            $"'entry': {stub.Entry}",
            $"'data': {Repr(stub.Data)}",
            $"'data_start': {stub.DataStart}",
        };
        if (entryFirst) fields.Reverse(); // v3.3 writes the keys in another order
        var literal = "{" + string.Join(", ", fields) + "}";
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(Encoding.Latin1.GetBytes(literal));
        var base64 = Convert.ToBase64String(packed.ToArray());
        var lines = Enumerable.Range(0, (base64.Length + 75) / 76).Select(i => base64.Substring(i * 76, Math.Min(76, base64.Length - i * 76)));
        return "#!/usr/bin/env python\n# ESP8266 & ESP32 ROM Bootloader Utility (fixture)\n__version__ = \"3.0\"\n\n" +
               "# Binary stub code (see flasher_stub dir for source & details)\n" +
               EmbeddedStub.Marker + "\n" + string.Join("\\\n", lines) + "\n\"\"\")))\n" +
               "ESP32ROM.STUB_CODE = eval(zlib.decompress(base64.b64decode(b\"\"\"\nAAAA\n\"\"\")))\n";
    }

    /// <summary>A bytes literal as Python's repr writes it.</summary>
    public static string Repr(byte[] bytes)
    {
        var quote = bytes.Contains((byte)'\'') && !bytes.Contains((byte)'"') ? '"' : '\'';
        var sb = new StringBuilder("b").Append(quote);
        foreach (var b in bytes)
        {
            if (b == quote || b == '\\') sb.Append('\\').Append((char)b);
            else if (b == '\t') sb.Append("\\t");
            else if (b == '\n') sb.Append("\\n");
            else if (b == '\r') sb.Append("\\r");
            else if (b is < 0x20 or >= 0x7F) sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:x2}");
            else sb.Append((char)b);
        }
        return sb.Append(quote).ToString();
    }
}
