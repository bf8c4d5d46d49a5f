namespace Espwire.Ports;

/// <summary>USB-serial adapters met with ESP8266 boards, by USB vendor:product id.</summary>
public static class UsbAdapters
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["10c4:ea60"] = "CP2102 (Silicon Labs CP210x)", // also CP2102N, CP2104, CP2109
        ["10c4:ea70"] = "CP2105 (Silicon Labs, dual)",
        ["1a86:7523"] = "CH340 (WCH)",
        ["1a86:5523"] = "CH341 (WCH)",
        ["1a86:55d3"] = "CH343 (WCH)",
        ["1a86:55d4"] = "CH9102 (WCH)",
        ["0403:6001"] = "FT232R (FTDI)",
        ["0403:6010"] = "FT2232 (FTDI)",
        ["0403:6014"] = "FT232H (FTDI)",
        ["0403:6015"] = "FT231X (FTDI)",
        ["067b:2303"] = "PL2303 (Prolific)",
    };

    /// <summary>True for the bridges ESP8266 boards and programmers carry (NodeMCU, Wemos D1 mini, ESP-01 adapters).</summary>
    public static bool IsEspBridge(string? usbId) => usbId is not null && Known.ContainsKey(usbId);

    public static string? Name(string usbId) => Known.GetValueOrDefault(usbId);
}
