using System.Globalization;

namespace Espwire.At.Reader;

/// <summary>The table every complete text line is matched against: final results, busy, unsolicited, passive notices.</summary>
public static class LineClassifier
{
    private static readonly (string Text, ResultCode Code)[] Finals =
    [
        ("OK", ResultCode.Ok),
        ("ERROR", ResultCode.Error),
        ("FAIL", ResultCode.Fail),
        ("SEND OK", ResultCode.SendOk),
        ("SEND FAIL", ResultCode.SendFail),
    ];

    private static readonly (string Text, Unsolicited Kind)[] Fixed =
    [
        ("ready", Unsolicited.Ready),
        ("WIFI CONNECTED", Unsolicited.WifiConnected),
        ("WIFI GOT IP", Unsolicited.WifiGotIp),
        ("WIFI DISCONNECT", Unsolicited.WifiDisconnect),
    ];

    private static readonly (string Text, Unsolicited Kind)[] LinkNotices =
    [
        ("CONNECT FAIL", Unsolicited.LinkConnectFailed),
        ("CONNECT", Unsolicited.LinkConnected),
        ("CLOSED", Unsolicited.LinkClosed),
    ];

    private static readonly (string Prefix, Unsolicited Kind)[] Prefixed =
    [
        ("+STA_CONNECTED:", Unsolicited.StationJoined),
        ("+DIST_STA_IP:", Unsolicited.StationGotIp),
        ("+STA_DISCONNECTED:", Unsolicited.StationLeft),
    ];

    /// <summary>Classifies one line (without its CR/LF).</summary>
    public static AtEvent Classify(string line)
    {
        foreach (var (text, code) in Finals)
            if (line == text) return new FinalLine(code);
        if (line.StartsWith("busy ", StringComparison.Ordinal)) return new BusyLine(line);
        foreach (var (text, kind) in Fixed)
            if (line == text) return new UnsolicitedLine(kind, line, null);
        foreach (var (prefix, kind) in Prefixed)
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return new UnsolicitedLine(kind, line, null);
        if (TryLinkNotice(line) is { } notice) return notice;
        if (TryIpdNotice(line) is { } ipd) return ipd;
        return new InfoLine(line);
    }

    /// <summary>True for lines that may arrive at any time, so they do not end an echo or a reply.</summary>
    public static bool IsAsynchronous(AtEvent e) => e is UnsolicitedLine or IpdNotice or GarbageLine;

    private static UnsolicitedLine? TryLinkNotice(string line)
    {
        int? id = null;
        var rest = line;
        // "0,CONNECT" with CIPMUX=1, plain "CONNECT" with CIPMUX=0. Link ids are 0..4 (5 means "all" for CIPCLOSE).
        if (line.Length > 2 && line[1] == ',' && line[0] is >= '0' and <= '9')
        {
            id = line[0] - '0';
            rest = line[2..];
        }
        foreach (var (text, kind) in LinkNotices)
            if (rest == text) return new UnsolicitedLine(kind, line, id);
        return null;
    }

    private static IpdNotice? TryIpdNotice(string line)
    {
        if (!line.StartsWith("+IPD,", StringComparison.Ordinal)) return null;
        var parts = line[5..].Split(',');
        if (parts.Length == 1 && TryInt(parts[0], out var len1)) return new IpdNotice(null, len1);
        if (parts.Length >= 2 && TryInt(parts[0], out var id) && TryInt(parts[1], out var len2)) return new IpdNotice(id, len2);
        return null;
    }

    internal static bool TryInt(string s, out int value)
        => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
