namespace Espwire.Ports;

/// <summary>USB-serial adapters met with ESP8266 boards, by USB vendor:product id.</summary>
public static class UsbAdapters
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["10c4:ea60"] = "CP2102 (Silicon Labs CP210x)",
        ["1a86:7523"] = "CH340 (WCH)",
        ["1a86:55d4"] = "CH9102 (WCH)",
        ["0403:6001"] = "FT232R (FTDI)",
        ["0403:6015"] = "FT231X (FTDI)",
        ["067b:2303"] = "PL2303 (Prolific)",
    };

    public static string? Name(string usbId) => Known.GetValueOrDefault(usbId);
}
