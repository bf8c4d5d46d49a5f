using Espwire.Protocol.At;
using System.Globalization;
using Espwire.Emulator.World;

namespace Espwire.Emulator.At.Dialects;

/// <summary>ESP-AT 2.2 for ESP8266 (ESP8266_RTOS_SDK based).</summary>
public sealed class EspAtDialect : AtDialect
{
    public static EspAtDialect Instance { get; } = new();

    public override FirmwareDialect Id => FirmwareDialect.EspAt;

    public override void Echo(byte received, List<byte> echo) => echo.Add(received);

    public override IReadOnlyList<string> VersionLines { get; } =
    [
        "AT version:2.2.0.0(b097cdf - ESP8266 - Jun 17 2021 12:57:45)",
        "SDK version:v3.4-22-g967752e2",
        "compile time(6800286):Aug  4 2021 17:20:05",
        "Bin version:2.2.0(Cytron_ESP-12F_WROOM-02)",
    ];

    public override AtResult VersionResult => AtResult.Ok;

    public override bool HasCurDefForms => false;

    public override bool HasSysStore => true;

    public override bool PlainFormSaves(bool sysStore) => sysStore;

    public override AtResult JoinFailureResult => AtResult.Error;

    public override string SendPrompt => "\r\n>";

    // 2.x: <operate> 0 disable, 1 enable; <mode> bit0 station, bit1 SoftAP.
    public override (bool? Station, bool? SoftAp)? ParseDhcpSet(int first, int second)
    {
        if (first is not (0 or 1) || second is < 1 or > 3) return null;
        var on = first == 1;
        return ((second & 1) != 0 ? on : null, (second & 2) != 0 ? on : null);
    }

    public override int DhcpQueryBits(bool station, bool softAp) => (station ? 1 : 0) | (softAp ? 2 : 0);

    public override string PingReply(int milliseconds) => "+PING:" + milliseconds.ToString(CultureInfo.InvariantCulture);

    public override string PingTimeout => "+PING:TIMEOUT";

    public override string DomainReply(string address) => $"+CIPDOMAIN:\"{address}\"";

    public override string RecvDataPrefix(int length) => $"+CIPRECVDATA:{length.ToString(CultureInfo.InvariantCulture)},";

    public override string SysRamReply(int free, int minimum)
        => $"+SYSRAM:{free.ToString(CultureInfo.InvariantCulture)},{minimum.ToString(CultureInfo.InvariantCulture)}";

    public override string JoinedReply(AccessPoint ap)
        => $"+CWJAP:\"{ap.Ssid}\",\"{ap.Bssid}\",{ap.Channel.ToString(CultureInfo.InvariantCulture)},{ap.Rssi.ToString(CultureInfo.InvariantCulture)},0,1,3,0,1";

    public override string? CloseNotOpenLine => null;

    public override string ConnectFailed(int? linkId) => "";

    public override string? LinkBuiltLine => null;

    public override string? LinkNotValidLine => null;

    public override string? NoChangeLine => null;

    public override int LowestWifiMode => 0;
}
