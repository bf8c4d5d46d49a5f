using Espwire.Protocol.At;
using Espwire.Emulator.World;

namespace Espwire.Emulator.At.Dialects;

/// <summary>
/// Everything that differs between AT firmware 1.7 and 2.2, in one place per dialect. Commands ask the dialect;
/// they never test the version themselves.
/// </summary>
public abstract class AtDialect
{
    public static AtDialect For(FirmwareDialect dialect) => dialect switch
    {
        FirmwareDialect.EspAt => EspAtDialect.Instance,
        _ => NonOsDialect.Instance,
    };

    public abstract FirmwareDialect Id { get; }

    /// <summary>What the firmware echoes for one received byte (1.x answers LF with CR LF: <c>AT\r\r\n</c>).</summary>
    public abstract void Echo(byte received, List<byte> echo);

    /// <summary>AT+GMR's lines, and whether a blank line precedes OK.</summary>
    public abstract IReadOnlyList<string> VersionLines { get; }

    public abstract AtResult VersionResult { get; }

    /// <summary>Whether the 1.x <c>_CUR</c>/<c>_DEF</c> names exist (AT+CWMODE_CUR, AT+CWJAP_DEF...).</summary>
    public abstract bool HasCurDefForms { get; }

    /// <summary>Whether AT+SYSSTORE exists (2.x).</summary>
    public abstract bool HasSysStore { get; }

    /// <summary>Whether a plain setting command (AT+CWMODE=1) saves to flash.</summary>
    public abstract bool PlainFormSaves(bool sysStore);

    /// <summary>The final line after a failed join: FAIL on 1.x, ERROR on 2.x.</summary>
    public abstract AtResult JoinFailureResult { get; }

    /// <summary>Bytes after OK that invite the data of AT+CIPSEND.</summary>
    public abstract string SendPrompt { get; }

    /// <summary>AT+CWDHCP=a,b as (station change, AP change): null leaves that interface's DHCP as it is.</summary>
    public abstract (bool? Station, bool? SoftAp)? ParseDhcpSet(int first, int second);

    /// <summary>AT+CWDHCP? bits.</summary>
    public abstract int DhcpQueryBits(bool station, bool softAp);

    public abstract string PingReply(int milliseconds);

    public abstract string PingTimeout { get; }

    public abstract string DomainReply(string address);

    public abstract string RecvDataPrefix(int length);

    public abstract string SysRamReply(int free, int minimum);

    /// <summary>AT+CWJAP? when joined.</summary>
    public abstract string JoinedReply(AccessPoint ap);

    /// <summary>AT+CWLAP line for one access point under a CWLAPOPT mask.</summary>
    public virtual string ScanLine(AccessPoint ap, int mask)
    {
        var fields = new List<string>();
        void Add(int bit, string value)
        {
            if ((mask & (1 << bit)) != 0) fields.Add(value);
        }
        var cipher = ap.Security switch
        {
            Security.Open => 0,
            Security.Wep => 1,
            Security.WpaPsk => 3,
            Security.Wpa2Psk => 4,
            Security.WpaWpa2Psk => 5,
            _ => 4,
        };
        Add(0, ((int)ap.Security).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(1, $"\"{ap.Ssid}\"");
        Add(2, ap.Rssi.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(3, $"\"{ap.Bssid}\"");
        Add(4, ap.Channel.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(5, "-26");
        Add(6, "0");
        Add(7, cipher.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(8, cipher.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(9, "7");
        Add(10, "1");
        return $"+CWLAP:({string.Join(',', fields)})";
    }

    /// <summary>What AT+CIPCLOSE says about a link that is not open, before ERROR.</summary>
    public abstract string? CloseNotOpenLine { get; }

    /// <summary>What AT+CIPMUX says before ERROR when links are open (1.x: <c>link is builded</c>).</summary>
    public abstract string? LinkBuiltLine { get; }

    /// <summary>What AT+CIPSEND says before ERROR for a link that is not open (1.x: <c>link is not valid</c>).</summary>
    public abstract string? LinkNotValidLine { get; }

    /// <summary>What AT+CIPSERVER=1 says before OK when a server already runs (1.x: <c>no change</c>).</summary>
    public abstract string? NoChangeLine { get; }

    /// <summary>The lowest AT+CWMODE value accepted: 0 (radio off) exists on 2.x only.</summary>
    public abstract int LowestWifiMode { get; }

    /// <summary>What follows the ERROR of a CIPSTART that could not connect (CLOSED on 1.x).</summary>
    public abstract string ConnectFailed(int? linkId);
}
