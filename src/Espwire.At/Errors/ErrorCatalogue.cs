using Espwire.Protocol.At;
using System.Globalization;

namespace Espwire.At.Errors;

/// <summary>
/// Every code from the seed's tables and the AT reference, with its meaning and the next step. Data, not logic:
/// the CLI and the typed API look codes up here.
/// </summary>
public static class ErrorCatalogue
{
    public const string DhcpFix = "AT+CWDHCP=1,1";

    public static IReadOnlyList<CatalogueEntry> All { get; } =
    [
        new(CatalogueTable.JoinError, "1", "timeout", "Connection timed out: the access point did not complete the join in time.",
            "If it failed right after WIFI CONNECTED, station DHCP is probably off: run " + DhcpFix + " and join again. Otherwise move closer to the access point and check it is 2.4 GHz."),
        new(CatalogueTable.JoinError, "2", "wrong password", "Wrong password: the access point rejected the key.",
            "Check the password (case matters) and the network's security type."),
        new(CatalogueTable.JoinError, "3", "AP not found", "Access point not found: no network with this SSID was heard.",
            "Check the SSID spelling and that the network is 2.4 GHz (the ESP8266 cannot see 5 GHz networks). Run a scan (AT+CWLAP)."),
        new(CatalogueTable.JoinError, "4", "connect failed", "Connection failed for another reason (the access point refused or dropped the station).",
            "Restart the access point or the module, check MAC filtering and the number of clients the AP allows."),

        new(CatalogueTable.SeedJoinTable, "0", "success", "(seed's table) Wi-Fi connected.", "Nothing to do."),
        new(CatalogueTable.SeedJoinTable, "1", "failed", "(seed's table) Connection failed (password or link problem). Espressif: connection timeout.",
            "If WIFI CONNECTED came first, enable station DHCP: " + DhcpFix + "."),
        new(CatalogueTable.SeedJoinTable, "2", "auth failed", "(seed's table) Authentication failed.", "Check the password."),
        new(CatalogueTable.SeedJoinTable, "3", "DHCP error", "(seed's table) DHCP error. Espressif: AP not found.", "Check the SSID; if it is right, run " + DhcpFix + "."),
        new(CatalogueTable.SeedJoinTable, "4", "aborted", "(seed's table) Connection aborted. Espressif: connection failed.", "Try again; restart the access point."),
        new(CatalogueTable.SeedJoinTable, "5", "disconnected", "(seed's table) Connection lost.", "Check signal strength (RSSI above -80 dBm) and power."),

        new(CatalogueTable.WifiStatus, "0", "WL_IDLE_STATUS", "Idle: WiFi.begin() is still working.", "Keep waiting (a join takes up to 15 s)."),
        new(CatalogueTable.WifiStatus, "1", "WL_NO_SSID_AVAIL", "The SSID was not found.", "Check the SSID and that the network is 2.4 GHz."),
        new(CatalogueTable.WifiStatus, "2", "WL_SCAN_COMPLETED", "A network scan finished.", "Nothing to do. (The seed's table says 4; wl_definitions.h says 2.)"),
        new(CatalogueTable.WifiStatus, "3", "WL_CONNECTED", "Connected to Wi-Fi with an IP address.", "Nothing to do."),
        new(CatalogueTable.WifiStatus, "4", "WL_CONNECT_FAILED", "The connection failed.", "Check the password and the access point."),
        new(CatalogueTable.WifiStatus, "5", "WL_CONNECTION_LOST", "The connection was lost.", "Check signal strength and power; the sketch should call WiFi.begin() again."),
        new(CatalogueTable.WifiStatus, "6", "WL_WRONG_PASSWORD", "Wrong password.", "Check the password in the sketch."),
        new(CatalogueTable.WifiStatus, "7", "WL_DISCONNECTED", "Not connected (yet). The seed's sketch prints 7 while it waits.",
            "Keep waiting; if it never reaches 3, check SSID, password and 2.4 GHz."),
        new(CatalogueTable.WifiStatus, "255", "WL_NO_SHIELD", "No Wi-Fi hardware.", "Only seen on boards without Wi-Fi."),

        new(CatalogueTable.WifiMode, "0", "off", "Radio off (2.x only).", "Set AT+CWMODE=1 to use the module as a station."),
        new(CatalogueTable.WifiMode, "1", "station", "Station mode: joins an access point (the seed's setting).", "Nothing to do."),
        new(CatalogueTable.WifiMode, "2", "soft-AP", "Access-point mode: other devices join the module. It cannot join a network or scan as a station.",
            "Set AT+CWMODE=1 (or 3) before AT+CWLAP and AT+CWJAP."),
        new(CatalogueTable.WifiMode, "3", "station + soft-AP", "Both station and access point.", "Nothing to do."),

        new(CatalogueTable.Security, "0", "OPEN", "No security.", "Nothing to do."),
        new(CatalogueTable.Security, "1", "WEP", "WEP (broken, avoid).", "Use WPA2 on the access point if you can."),
        new(CatalogueTable.Security, "2", "WPA_PSK", "WPA personal.", "Nothing to do."),
        new(CatalogueTable.Security, "3", "WPA2_PSK", "WPA2 personal.", "Nothing to do."),
        new(CatalogueTable.Security, "4", "WPA_WPA2_PSK", "WPA/WPA2 personal.", "Nothing to do."),
        new(CatalogueTable.Security, "5", "WPA2_ENTERPRISE", "WPA2 enterprise: the AT firmware cannot join it with CWJAP.", "Use a personal (PSK) network."),
        new(CatalogueTable.Security, "6", "WPA3_PSK", "WPA3 personal (2.x only).", "Nothing to do."),
        new(CatalogueTable.Security, "7", "WPA2_WPA3_PSK", "WPA2/WPA3 personal (2.x only).", "Nothing to do."),

        new(CatalogueTable.ArduinoEncryption, "2", "ENC_TYPE_TKIP", "WPA (TKIP).", "Nothing to do."),
        new(CatalogueTable.ArduinoEncryption, "4", "ENC_TYPE_CCMP", "WPA2 (CCMP).", "Nothing to do."),
        new(CatalogueTable.ArduinoEncryption, "5", "ENC_TYPE_WEP", "WEP.", "Use WPA2 if you can."),
        new(CatalogueTable.ArduinoEncryption, "7", "ENC_TYPE_NONE", "Open network (the seed prints no '* encryption *').", "Nothing to do."),
        new(CatalogueTable.ArduinoEncryption, "8", "ENC_TYPE_AUTO", "WPA/WPA2 mixed.", "Nothing to do."),

        new(CatalogueTable.ConnectionStatus, "0", "not initialised", "Station not initialised (2.x).", "Set AT+CWMODE=1."),
        new(CatalogueTable.ConnectionStatus, "1", "no Wi-Fi", "Station initialised but not joined (2.x).", "Join a network: AT+CWJAP=\"SSID\",\"PASSWORD\"."),
        new(CatalogueTable.ConnectionStatus, "2", "got IP", "Joined, with an IP address; no link open.", "Open a link with AT+CIPSTART."),
        new(CatalogueTable.ConnectionStatus, "3", "connected", "A TCP/UDP link is open.", "Nothing to do."),
        new(CatalogueTable.ConnectionStatus, "4", "disconnected", "All links are closed.", "Open a link with AT+CIPSTART."),
        new(CatalogueTable.ConnectionStatus, "5", "not joined", "Not joined to Wi-Fi.", "Join a network: AT+CWJAP=\"SSID\",\"PASSWORD\"."),

        new(CatalogueTable.EspAtErrorCode, "0x01", "common error", "The command failed (generic).", "Check the command against the AT reference."),
        new(CatalogueTable.EspAtErrorCode, "0x02", "no terminator", "The command line did not end with CR LF.", "Send CR LF after the command (serial monitor: 'Both NL & CR')."),
        new(CatalogueTable.EspAtErrorCode, "0x03", "no AT", "The line did not start with AT.", "Start every command with AT."),
        new(CatalogueTable.EspAtErrorCode, "0x04", "parameter length", "A parameter is too long or too short.", "Check string lengths (SSID up to 32, password up to 64)."),
        new(CatalogueTable.EspAtErrorCode, "0x05", "parameter type", "A parameter has the wrong type (string where a number belongs, or the reverse).", "Quote strings, leave numbers unquoted."),
        new(CatalogueTable.EspAtErrorCode, "0x06", "parameter count", "Wrong number of parameters.", "Check the command's parameters in the AT reference for this firmware version."),
        new(CatalogueTable.EspAtErrorCode, "0x07", "parameter invalid", "A parameter value is out of range.", "Check the allowed values."),
        new(CatalogueTable.EspAtErrorCode, "0x08", "parse failed", "A parameter could not be parsed (escape \\, \\\" \\\\ inside strings).", "Escape commas, quotes and backslashes with a backslash."),
        new(CatalogueTable.EspAtErrorCode, "0x09", "unsupported", "This firmware does not support the command.", "Check the firmware version (AT+GMR): 1.x and 2.x differ (e.g. _CUR forms exist only in 1.x)."),
        new(CatalogueTable.EspAtErrorCode, "0x0A", "execution failed", "The command ran and failed.", "Check the module's state (mode, Wi-Fi joined, link open)."),
        new(CatalogueTable.EspAtErrorCode, "0x0B", "processing", "A previous command is still running.", "Wait for it to finish and send the command again."),
        new(CatalogueTable.EspAtErrorCode, "0x0C", "operation error", "The command is not allowed now.", "Check the prerequisites (e.g. AT+CIPMUX=1 before AT+CIPSERVER)."),

        new(CatalogueTable.ReplyLine, "ERROR", "error", "The module rejected the command.", "Check the command's spelling (upper case: AT+GMR, not at+gmr) and its parameters."),
        new(CatalogueTable.ReplyLine, "FAIL", "fail", "The command failed (1.x prints FAIL after a failed join).", "Read the +CWJAP code above it."),
        new(CatalogueTable.ReplyLine, "SEND FAIL", "send failed", "The data could not be sent on the link.", "The link probably closed: open it again (AT+CIPSTART)."),
        new(CatalogueTable.ReplyLine, "busy p...", "busy processing", "The module is still running an earlier command (a join or connect) and ignored this one.", "Wait a few seconds and send it again."),
        new(CatalogueTable.ReplyLine, "busy s...", "busy sending", "The module is still sending data and ignored this command.", "Wait for SEND OK and send it again."),
        new(CatalogueTable.ReplyLine, "ALREADY CONNECTED", "already connected", "That link id is already open.", "Close it first (AT+CIPCLOSE=<id>) or use another id."),
        new(CatalogueTable.ReplyLine, "DNS Fail", "DNS failed", "The host name could not be resolved.", "Check the name, that Wi-Fi is joined (AT+CIFSR shows an IP), or use an IP address."),
        new(CatalogueTable.ReplyLine, "UNLINK", "not linked", "No link is open with that id.", "Open one with AT+CIPSTART."),
        new(CatalogueTable.ReplyLine, "link is not valid", "link not valid", "No link is open with that id.", "Open one with AT+CIPSTART."),
        new(CatalogueTable.ReplyLine, "No AP", "not joined", "The station is not joined to any access point.", "Join one: AT+CWJAP=\"SSID\",\"PASSWORD\"."),
        new(CatalogueTable.ReplyLine, "+timeout", "ping timeout", "The ping got no answer (1.x).", "Check the host and that Wi-Fi is joined."),
        new(CatalogueTable.ReplyLine, "+PING:TIMEOUT", "ping timeout", "The ping got no answer (2.x).", "Check the host and that Wi-Fi is joined."),
    ];

    public static CatalogueEntry? Find(CatalogueTable table, string code)
        => All.FirstOrDefault(e => e.Table == table && string.Equals(e.Code, code, StringComparison.OrdinalIgnoreCase));

    public static CatalogueEntry? Find(CatalogueTable table, int code)
        => Find(table, code.ToString(CultureInfo.InvariantCulture));

    /// <summary>The meaning of a <c>+CWJAP:n</c> code; <paramref name="afterWifiConnected"/> is the seed's DHCP case.</summary>
    public static Explanation ForJoinError(int code, bool afterWifiConnected)
    {
        if (code == 1 && afterWifiConnected)
            return new Explanation(
                "Connection timed out right after WIFI CONNECTED: the module joined the access point but got no IP address. Station DHCP is probably off.",
                "Enable station DHCP with " + DhcpFix + " (espwire wifi join ... --fix-dhcp) and join again.");
        return Find(CatalogueTable.JoinError, code)?.Explanation
               ?? new Explanation($"Join failed with unknown code {code}.", "Check SSID and password, then try again.");
    }

    /// <summary>The meaning of a 2.x <c>ERR CODE:0x01XXYYYY</c>.</summary>
    public static Explanation? ForEspAtCode(uint code)
    {
        var sub = (code >> 16) & 0xFF;
        return Find(CatalogueTable.EspAtErrorCode, $"0x{sub:X2}")?.Explanation;
    }

    /// <summary>
    /// A plain-language line for a reply line that needs one (<c>+CWJAP:1</c>, <c>busy p...</c>, <c>ERR CODE:...</c>,
    /// <c>STATUS:5</c>, <c>+CWMODE:2</c>), or null when the line speaks for itself.
    /// </summary>
    public static string? Decode(string line, bool afterWifiConnected = false)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (TryCode(line, "+CWJAP:", out var join))
        {
            var e = ForJoinError(join, afterWifiConnected);
            return $"{e.Meaning} {e.NextStep}";
        }
        if (line.StartsWith("ERR CODE:0x", StringComparison.Ordinal)
            && uint.TryParse(line.AsSpan(11), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var err)
            && ForEspAtCode(err) is { } ex)
            return $"{ex.Meaning} {ex.NextStep}";
        if (TryCode(line, "STATUS:", out var status) && Find(CatalogueTable.ConnectionStatus, status) is { } st)
            return $"{st.Meaning}";
        foreach (var prefix in new[] { "+CWMODE:", "+CWMODE_CUR:", "+CWMODE_DEF:" })
            if (TryCode(line, prefix, out var mode) && Find(CatalogueTable.WifiMode, mode) is { } m)
                return m.Meaning;
        if (line.StartsWith("+CWDHCP", StringComparison.Ordinal))
            return null; // needs the dialect; the typed API explains it
        var reply = Find(CatalogueTable.ReplyLine, line);
        if (reply is not null && line is not ("ERROR" or "FAIL"))
            return $"{reply.Meaning} {reply.NextStep}";
        return null;
    }

    private static bool TryCode(string line, string prefix, out int code)
    {
        code = 0;
        return line.StartsWith(prefix, StringComparison.Ordinal)
               && int.TryParse(line.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }
}
