using System.Net;

namespace Espwire.Ota.Discovery;

/// <summary>
/// A device announcing <c>_arduino._tcp</c>, as ESP8266mDNS's enableArduino publishes it: the instance (the
/// hostname, esp8266-XXXXXX by default), its address, the OTA port, and the TXT keys board, auth_upload
/// (yes when ArduinoOTA has a password), tcp_check and ssh_upload.
/// </summary>
public sealed record ArduinoService(string Instance, string HostName, IPAddress Address, int Port, IReadOnlyDictionary<string, string> Txt)
{
    public const string ServiceType = "_arduino._tcp.local";

    public string? Board => Txt.GetValueOrDefault("board");

    public bool AuthRequired => string.Equals(Txt.GetValueOrDefault("auth_upload"), "yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>The TXT record ESP8266mDNS's enableArduino(port, auth) publishes.</summary>
    public static IReadOnlyDictionary<string, string> ArduinoOtaTxt(string board, bool authUpload) => new Dictionary<string, string>
    {
        ["tcp_check"] = "no",
        ["ssh_upload"] = "no",
        ["board"] = board,
        ["auth_upload"] = authUpload ? "yes" : "no",
    };
}
