using Espwire.Protocol.At;
using System.Globalization;
using Espwire.Emulator.World;

namespace Espwire.Emulator.At.Dialects;

/// <summary>NonOS AT 1.7.4 (SDK 3.0.4), the firmware most ESP-12F boards ship with.</summary>
public sealed class NonOsDialect : AtDialect
{
    public static NonOsDialect Instance { get; } = new();

    public override FirmwareDialect Id => FirmwareDialect.NonOs;

    public override void Echo(byte received, List<byte> echo)
    {
        if (received == (byte)'\n')
        {
            echo.Add((byte)'\r');
            echo.Add((byte)'\n');
        }
        else
        {
            echo.Add(received);
        }
    }

    public override IReadOnlyList<string> VersionLines { get; } =
    [
        "AT version:1.7.4.0(May 11 2020 19:13:04)",
        "SDK version:3.0.4(9532ceb)",
        "compile time:May 27 2020 10:12:17",
        "Bin version(Wroom 02):1.7.4",
    ];

    public override AtResult VersionResult => AtResult.OkNoBlankLine;

    public override bool HasCurDefForms => true;

    public override bool HasSysStore => false;

    public override bool PlainFormSaves(bool sysStore) => true;

    public override AtResult JoinFailureResult => AtResult.Fail;

    public override string SendPrompt => "> ";

    // 1.x: <mode> 0 SoftAP, 1 station, 2 both; <en> 0 disable, 1 enable.
    public override (bool? Station, bool? SoftAp)? ParseDhcpSet(int first, int second)
    {
        if (second is not (0 or 1)) return null;
        var on = second == 1;
        return first switch
        {
            0 => (null, on),
            1 => (on, null),
            2 => (on, on),
            _ => null,
        };
    }

    // 1.x query bits: bit0 SoftAP, bit1 station.
    public override int DhcpQueryBits(bool station, bool softAp) => (softAp ? 1 : 0) | (station ? 2 : 0);

    public override string PingReply(int milliseconds) => "+" + milliseconds.ToString(CultureInfo.InvariantCulture);

    public override string PingTimeout => "+timeout";

    public override string DomainReply(string address) => "+CIPDOMAIN:" + address;

    public override string RecvDataPrefix(int length) => $"+CIPRECVDATA,{length.ToString(CultureInfo.InvariantCulture)}:";

    public override string SysRamReply(int free, int minimum) => "+SYSRAM:" + free.ToString(CultureInfo.InvariantCulture);

    public override string JoinedReply(AccessPoint ap)
        => $"+CWJAP:\"{ap.Ssid}\",\"{ap.Bssid}\",{ap.Channel.ToString(CultureInfo.InvariantCulture)},{ap.Rssi.ToString(CultureInfo.InvariantCulture)}";

    public override string? CloseNotOpenLine => "UNLINK";

    public override string ConnectFailed(int? linkId) => linkId is null ? "CLOSED\r\n" : $"{linkId.Value.ToString(CultureInfo.InvariantCulture)},CLOSED\r\n";

    public override string? LinkBuiltLine => "link is builded";

    public override string? LinkNotValidLine => "link is not valid";

    public override string? NoChangeLine => "no change";

    public override int LowestWifiMode => 1;
}
