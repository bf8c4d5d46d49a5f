using System.Text.RegularExpressions;

namespace Espwire.At.Dialects;

/// <summary>What AT+GMR says about the firmware.</summary>
public sealed partial record FirmwareInfo(string AtVersion, string SdkVersion, string CompileTime, string BinVersion, IReadOnlyList<string> Lines)
{
    /// <summary>Major version of the AT firmware: 1 for NonOS (1.7.x), 2 for ESP-AT 2.x; 0 when unknown.</summary>
    public int Major => VersionRegex().Match(AtVersion) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>The dotted version, e.g. 1.7.4.0.</summary>
    public string Version => VersionRegex().Match(AtVersion) is { Success: true } m ? m.Value : AtVersion;

    public static FirmwareInfo Parse(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        string Find(string prefix) => lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } l
            ? l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..] : "";
        var bin = lines.FirstOrDefault(l => l.StartsWith("Bin version", StringComparison.Ordinal)) is { } b ? b[(b.IndexOf(':', StringComparison.Ordinal) + 1)..] : "";
        var compile = lines.FirstOrDefault(l => l.StartsWith("compile time", StringComparison.Ordinal)) is { } c ? c[(c.IndexOf(':', StringComparison.Ordinal) + 1)..] : "";
        return new FirmwareInfo(Find("AT version:"), Find("SDK version:"), compile, bin, lines.ToArray());
    }

    [GeneratedRegex(@"(\d+)\.\d+(\.\d+)*")]
    private static partial Regex VersionRegex();
}
