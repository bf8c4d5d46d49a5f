using System.Globalization;
using System.Text;

namespace Espwire.Emulator.At;

/// <summary>A parsed command line: <c>AT+CWJAP_CUR="ssid","pwd"</c> is name <c>+CWJAP_CUR</c>, kind Set, two args.</summary>
public sealed class AtRequest
{
    private AtRequest(string line, string name, AtCommandKind kind, IReadOnlyList<AtArg> args)
    {
        Line = line;
        Name = name;
        Kind = kind;
        Args = args;
    }

    public string Line { get; }

    /// <summary>Upper-case name after <c>AT</c>: <c>""</c> for plain AT, <c>E0</c>, <c>+CWMODE_CUR</c>.</summary>
    public string Name { get; }

    public AtCommandKind Kind { get; }

    public IReadOnlyList<AtArg> Args { get; }

    public int Count => Args.Count;

    /// <summary>Parses a line without its CR LF; null when it is not an AT command.</summary>
    public static AtRequest? Parse(string line)
    {
        if (line.Length < 2 || line[0] != 'A' || line[1] != 'T') return null;
        var rest = line[2..];
        if (rest.Length == 0) return new AtRequest(line, "", AtCommandKind.Execute, []);
        if (rest[0] != '+')
        {
            // Basic commands: ATE0, ATE1.
            return rest.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
                ? new AtRequest(line, rest, AtCommandKind.Execute, [])
                : null;
        }
        var end = 1;
        while (end < rest.Length && (char.IsAsciiLetterUpper(rest[end]) || char.IsAsciiDigit(rest[end]) || rest[end] == '_')) end++;
        if (end == 1) return null;
        var name = rest[..end];
        var tail = rest[end..];
        if (tail.Length == 0) return new AtRequest(line, name, AtCommandKind.Execute, []);
        if (tail == "?") return new AtRequest(line, name, AtCommandKind.Query, []);
        if (tail == "=?") return new AtRequest(line, name, AtCommandKind.Test, []);
        if (tail[0] != '=') return null;
        var args = ParseArgs(tail[1..]);
        return args is null ? null : new AtRequest(line, name, AtCommandKind.Set, args);
    }

    /// <summary>Splits <c>"a\,b",1,,2</c> at commas outside quotes; resolves <c>\,</c> <c>\"</c> <c>\\</c>.</summary>
    private static List<AtArg>? ParseArgs(string text)
    {
        var args = new List<AtArg>();
        var i = 0;
        while (true)
        {
            if (i < text.Length && text[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var c = text[i++];
                    if (c == '\\' && i < text.Length)
                    {
                        sb.Append(text[i++]);
                        continue;
                    }
                    if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    sb.Append(c);
                }
                if (!closed) return null;
                args.Add(new AtArg(sb.ToString(), true));
                if (i == text.Length) return args;
                if (text[i] != ',') return null;
                i++;
            }
            else
            {
                var comma = text.IndexOf(',', i);
                var token = comma < 0 ? text[i..] : text[i..comma];
                if (token.Contains('"')) return null;
                args.Add(new AtArg(token, false));
                if (comma < 0) return args;
                i = comma + 1;
            }
        }
    }

    /// <summary>The integer argument at <paramref name="index"/>, or null when absent, quoted or not a number.</summary>
    /// <summary>The one argument of an on/off setting (<c>AT+CIPMUX=1</c>): true when there is exactly one and it is 0 or 1.</summary>
    public bool TryFlag(out bool on)
    {
        var v = Count == 1 ? Int(0) : null;
        on = v == 1;
        return v is 0 or 1;
    }

    public int? Int(int index)
    {
        if (index >= Args.Count || Args[index].Quoted) return null;
        return int.TryParse(Args[index].Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>The quoted string argument at <paramref name="index"/>, or null.</summary>
    public string? Str(int index) => index < Args.Count && Args[index].Quoted ? Args[index].Text : null;

    public bool Has(int index) => index < Args.Count && !Args[index].IsEmpty;
}
