namespace Espwire.At.Commands;

/// <summary>
/// The command names of the ESP8266 AT firmware (NonOS 1.x and ESP-AT 2.x together, without <c>_CUR</c>/<c>_DEF</c>),
/// from Espressif's instruction set guides: enough to tell a misspelt command from one the module refused.
/// </summary>
public static class InstructionSet
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        // Basic
        "AT", "ATE0", "ATE1", "AT+RST", "AT+GMR", "AT+GSLP", "AT+RESTORE", "AT+UART", "AT+SLEEP", "AT+WAKEUPGPIO",
        "AT+RFPOWER", "AT+RFVDD", "AT+RFAUTOTRACE", "AT+SYSRAM", "AT+SYSADC", "AT+SYSIOSETCFG", "AT+SYSIOGETCFG",
        "AT+SYSGPIODIR", "AT+SYSGPIOWRITE", "AT+SYSGPIOREAD", "AT+SYSMSG", "AT+SYSSTORE", "AT+SYSFLASH",
        "AT+SYSROLLBACK", "AT+SYSTIMESTAMP", "AT+SYSLOG", "AT+SLEEPWKCFG", "AT+CMD", "AT+USERRAM", "AT+SYSMFG",
        // Wi-Fi
        "AT+CWMODE", "AT+CWJAP", "AT+CWLAPOPT", "AT+CWLAP", "AT+CWQAP", "AT+CWSAP", "AT+CWLIF", "AT+CWQIF",
        "AT+CWDHCP", "AT+CWDHCPS", "AT+CWAUTOCONN", "AT+CIPSTAMAC", "AT+CIPAPMAC", "AT+CIPSTA", "AT+CIPAP",
        "AT+CWSTARTSMART", "AT+CWSTOPSMART", "AT+CWSTARTDISCOVER", "AT+CWSTOPDISCOVER", "AT+WPS", "AT+MDNS",
        "AT+CWJEAP", "AT+CWHOSTNAME", "AT+CWCOUNTRY", "AT+CWRECONNCFG", "AT+CWSTATE",
        // TCP/IP
        "AT+CIPSTATUS", "AT+CIPSTATE", "AT+CIPDOMAIN", "AT+CIPDNS", "AT+CIPSTART", "AT+CIPSTARTEX", "AT+CIPSSLSIZE",
        "AT+CIPSSLCCONF", "AT+CIPSEND", "AT+CIPSENDEX", "AT+CIPSENDBUF", "AT+CIPBUFRESET", "AT+CIPBUFSTATUS",
        "AT+CIPCHECKSEQ", "AT+CIPCLOSE", "AT+CIFSR", "AT+CIPMUX", "AT+CIPSERVER", "AT+CIPSERVERMAXCONN", "AT+CIPMODE",
        "AT+SAVETRANSLINK", "AT+CIPSTO", "AT+PING", "AT+CIUPDATE", "AT+CIPDINFO", "AT+CIPRECVMODE", "AT+CIPRECVDATA",
        "AT+CIPRECVLEN", "AT+CIPSNTPCFG", "AT+CIPSNTPTIME", "AT+CIPTCPOPT", "AT+CIPRECONNINTV", "AT+CIPV6",
    };

    /// <summary>The command's name as typed: up to <c>=</c> or <c>?</c>, without <c>_CUR</c>/<c>_DEF</c>, case kept.</summary>
    public static string NameOf(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var text = typed.Trim();
        var end = text.IndexOfAny(['=', '?']);
        var name = end < 0 ? text : text[..end];
        foreach (var suffix in (ReadOnlySpan<string>)["_CUR", "_DEF"])
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return name[..^suffix.Length];
        return name;
    }

    /// <summary>Whether <paramref name="name"/> (from <see cref="NameOf"/>) is an AT command, spelt exactly (upper case).</summary>
    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>
    /// The command with its name in upper case and its arguments untouched (<c>at+cwjap="Home","pw"</c> becomes
    /// <c>AT+CWJAP="Home","pw"</c>), or null when that is no known command or the name is already upper case.
    /// </summary>
    public static string? UpperCased(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var text = typed.Trim();
        var end = text.IndexOfAny(['=', '?']);
        var nameEnd = end < 0 ? text.Length : end;
        var name = text[..nameEnd];
        var upper = name.ToUpperInvariant();
        if (upper == name || !IsKnown(NameOf(upper))) return null;
        return upper + text[nameEnd..];
    }
}
