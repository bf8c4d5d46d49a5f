namespace Espwire.At.Dialects;

/// <summary>
/// Everything that differs between AT firmware 1.x (NonOS) and 2.x (ESP-AT), one class per dialect, so commands
/// do not branch on versions. The commands themselves are declared in <see cref="Commands.CommandCatalogue"/>.
/// </summary>
public interface IFirmwareDialect
{
    /// <summary>"1.x NonOS" or "2.x ESP-AT".</summary>
    string Name { get; }

    /// <summary>Whether commands declared with a <c>_CUR</c> form are sent in it (1.x: AT+CWMODE_CUR, AT+CWJAP_CUR).</summary>
    bool UsesCurrentForms { get; }

    /// <summary>AT+CWDHCP's arguments that turn station DHCP on or off (<c>1,1</c> on 1.x: mode, enable; 2.x: enable, mode bits).</summary>
    string StationDhcpArguments(bool enabled);

    /// <summary>Reads the station bit from the DHCP query's value (bit 1 on 1.x, bit 0 on 2.x).</summary>
    bool StationDhcpEnabled(int bits);

    /// <summary>Parses a ping reply line: milliseconds, or null for a timeout line; false if the line is not a ping line.</summary>
    bool TryParsePing(string line, out int? milliseconds);
}
