using Espwire.Protocol.At;
using System.Globalization;
using Espwire.At.Wifi;

namespace Espwire.At.Dialects;

/// <summary>AT firmware 1.x on the NonOS SDK (1.7.4 is the last). Uses the _CUR forms so nothing is written to flash by accident.</summary>
public sealed class NonOsDialect : IFirmwareDialect
{
    public static readonly NonOsDialect Instance = new();

    public string Name => "1.x NonOS";

    public string SetMode(WifiMode mode) => $"AT+CWMODE_CUR={(int)mode}";
    public string QueryMode => "AT+CWMODE_CUR?";
    public string ModeReply => "+CWMODE_CUR:";

    public string Join(string ssid, string password) => $"AT+CWJAP_CUR={AtText.Quote(ssid)},{AtText.Quote(password)}";
    public string QueryJoin => "AT+CWJAP_CUR?";
    public string JoinReply => "+CWJAP_CUR:";

    // 1.x: AT+CWDHCP=<mode>,<en>, mode 0 SoftAP, 1 station, 2 both.
    public string SetStationDhcp(bool enabled, bool persist) => $"AT+CWDHCP{(persist ? "" : "_CUR")}=1,{(enabled ? 1 : 0)}";
    public string QueryDhcp => "AT+CWDHCP_CUR?";
    public string DhcpReply => "+CWDHCP_CUR:";
    public bool StationDhcpEnabled(int bits) => (bits & 0b10) != 0;

    public bool TryParsePing(string line, out int? milliseconds)
    {
        milliseconds = null;
        if (line == "+timeout") return true;
        if (line.Length > 1 && line[0] == '+' && int.TryParse(line.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            milliseconds = ms;
            return true;
        }
        return false;
    }
}
