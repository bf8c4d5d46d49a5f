using Espwire.Protocol.At;
using Espwire.At.Wifi;

namespace Espwire.At.Dialects;

/// <summary>
/// Everything that differs between AT firmware 1.x (NonOS) and 2.x (ESP-AT), in one place per dialect,
/// so commands do not branch on versions.
/// </summary>
public interface IFirmwareDialect
{
    /// <summary>"1.x NonOS" or "2.x ESP-AT".</summary>
    string Name { get; }


    string SetMode(WifiMode mode);
    string QueryMode { get; }
    /// <summary>Prefix of the mode query's reply line, e.g. <c>+CWMODE_CUR:</c>.</summary>
    string ModeReply { get; }

    string Join(string ssid, string password);
    string QueryJoin { get; }
    string JoinReply { get; }

    /// <summary>Turns station DHCP on or off. <paramref name="persist"/> stores it in flash (the seed's plain AT+CWDHCP=1,1).</summary>
    string SetStationDhcp(bool enabled, bool persist);
    string QueryDhcp { get; }
    string DhcpReply { get; }
    /// <summary>Reads the station bit from the DHCP query's value (bit 1 on 1.x, bit 0 on 2.x).</summary>
    bool StationDhcpEnabled(int bits);

    /// <summary>Parses a ping reply line: milliseconds, or null for a timeout line; false if the line is not a ping line.</summary>
    bool TryParsePing(string line, out int? milliseconds);
}
