using System.Globalization;
using System.IO.Compression;
using System.Text;
using Espwire.Flasher.Errors;

namespace Espwire.Flasher.Stub;

/// <summary>
/// The ESP8266 stub inside an esptool v2/v3 <c>esptool.py</c>: after <c>ESP8266ROM.STUB_CODE = eval(zlib.decompress(
/// base64.b64decode(b"""</c> comes base64 text (lines may end in a backslash) up to <c>"""</c>; inflated, it is a
/// Python dict literal whose keys are text, text_start, entry, data, data_start, with ints and bytes literals.
/// Read as data here: nothing is evaluated.
/// </summary>
public static class EmbeddedStub
{
    public const string Marker = "ESP8266ROM.STUB_CODE = eval(zlib.decompress(base64.b64decode(b\"\"\"";

    /// <summary>esptool.py v3.3 is about 230 KB; anything much larger is not one.</summary>
    public const long MaxSourceBytes = 4 << 20;

    private const int MaxInflatedBytes = 1 << 20;

    /// <summary>True when the file is an esptool.py that carries the ESP8266 stub (checked without reading it all into memory twice).</summary>
    public static bool Carries(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxSourceBytes && File.ReadAllText(path).Contains(Marker, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static FlasherStub Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FlasherException($"{path} does not exist.", "Give the esptool.py of esptool v2/v3, or a stub JSON with --stub.");
        if (info.Length > MaxSourceBytes) throw new FlasherException($"{path} is {info.Length} bytes, too large for esptool.py.", "Give the esptool.py of esptool v2/v3, or a stub JSON with --stub.");
        return Parse(File.ReadAllText(path), path);
    }

    public static FlasherStub Parse(string source, string name)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            var start = source.IndexOf(Marker, StringComparison.Ordinal);
            if (start < 0) throw new FormatException("it has no ESP8266ROM.STUB_CODE");
            start += Marker.Length;
            var end = source.IndexOf("\"\"\"", start, StringComparison.Ordinal);
            if (end < 0) throw new FormatException("the stub's base64 text is not closed");
            var base64 = new StringBuilder(end - start);
            foreach (var c in source.AsSpan(start, end - start))
                if (c is not ('\\' or '\r' or '\n' or ' ' or '\t')) base64.Append(c);
            var literal = Inflate(Convert.FromBase64String(base64.ToString()));
            var fields = new PythonDictReader(literal).Read();
            uint Number(string key) => fields.TryGetValue(key, out var v) && v is long n ? checked((uint)n) : throw new FormatException($"no integer '{key}'");
            byte[] Bytes(string key) => fields.TryGetValue(key, out var v) && v is byte[] b ? b : throw new FormatException($"no bytes '{key}'");
            var data = fields.ContainsKey("data") ? Bytes("data") : [];
            var dataStart = fields.ContainsKey("data_start") ? Number("data_start") : 0;
            var stub = new FlasherStub(Number("entry"), Bytes("text"), Number("text_start"), data, dataStart, name);
            if (stub.Text.Length == 0 || stub.Entry == 0) throw new FormatException("the stub has no text or no entry point");
            return stub;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or OverflowException)
        {
            throw new FlasherException($"{name}: the ESP8266 stub embedded in it cannot be read ({e.Message}).",
                "Use the esptool.py of esptool v2.x or v3.x, a stub JSON (--stub esptool/targets/stub_flasher/1/esp8266.json), or --no-stub.", e);
        }
    }

    private static string Inflate(byte[] compressed)
    {
        using var z = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16384];
        int n;
        while ((n = z.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
            if (output.Length > MaxInflatedBytes) throw new FormatException("the inflated stub is larger than 1 MB");
        }
        return Encoding.Latin1.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    /// <summary>Reads <c>{'key': 123, 'other': b'\x01...'}</c>: string keys; int or bytes values; nothing else.</summary>
    private ref struct PythonDictReader(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public Dictionary<string, object> Read()
        {
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { _pos++; return result; }
                var key = ReadQuoted(bytes: false);
                Expect(':');
                SkipSpace();
                result[Encoding.Latin1.GetString(key)] = Peek() == 'b' ? ReadBytes() : ReadInteger();
                SkipSpace();
                if (Peek() == ',') _pos++;
                else if (Peek() != '}') throw new FormatException($"unexpected '{Peek()}' at {_pos} of the stub literal");
            }
        }

        private object ReadBytes()
        {
            _pos++; // b
            return ReadQuoted(bytes: true);
        }

        private object ReadInteger()
        {
            var start = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            if (_pos == start) throw new FormatException($"expected a number at {start} of the stub literal");
            return long.Parse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture);
        }

        private byte[] ReadQuoted(bool bytes)
        {
            var quote = Peek();
            if (quote is not ('\'' or '"')) throw new FormatException($"expected a quote at {_pos} of the stub literal");
            _pos++;
            var output = new List<byte>();
            while (true)
            {
                if (_pos >= _text.Length) throw new FormatException("a string in the stub literal is not closed");
                var c = _text[_pos++];
                if (c == quote) return output.ToArray();
                if (c != '\\') { output.Add((byte)c); continue; }
                if (_pos >= _text.Length) throw new FormatException("the stub literal ends inside an escape");
                var e = _text[_pos++];
                switch (e)
                {
                    case 'x':
                        if (_pos + 2 > _text.Length) throw new FormatException("a \\x escape is cut short");
                        output.Add(byte.Parse(_text.AsSpan(_pos, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _pos += 2;
                        break;
                    case 'n': output.Add(0x0A); break;
                    case 'r': output.Add(0x0D); break;
                    case 't': output.Add(0x09); break;
                    case '0': output.Add(0x00); break;
                    case '\\' or '\'' or '"': output.Add((byte)e); break;
                    default: throw new FormatException($"escape \\{e} is not one Python writes in bytes{(bytes ? "" : " keys")}");
                }
            }
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw new FormatException($"expected '{c}' at {_pos} of the stub literal");
            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }

        private readonly char Peek() => _pos < _text.Length ? _text[_pos] : '\0';
    }
}
