using System.Text;

namespace Espwire.At;

/// <summary>String arguments in AT commands: quoted, with <c>\,</c> <c>\"</c> <c>\\</c> escaped.</summary>
public static class AtText
{
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or ',' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Splits a reply's value on commas outside quotes and removes the quotes: <c>3,"a,b",-87</c> gives 3 / a,b / -87.</summary>
    public static List<string> Fields(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && quoted && i + 1 < value.Length) { sb.Append(value[++i]); continue; }
            if (c == '"') { quoted = !quoted; continue; }
            if (c == ',' && !quoted) { fields.Add(sb.ToString()); sb.Clear(); continue; }
            sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
