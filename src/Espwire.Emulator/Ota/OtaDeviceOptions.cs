namespace Espwire.Emulator.Ota;

/// <summary>ArduinoOTA as a sketch sets it up (setPort, setPassword, setHostname) plus where the emulator answers mDNS.</summary>
public sealed record OtaDeviceOptions
{
    /// <summary>The UDP port ArduinoOTA listens on (8266 by default); 0 lets the system pick one, kept across reboots.</summary>
    public int Port { get; init; } = 8266;

    /// <summary>ArduinoOTA.setPassword; null means no authentication.</summary>
    public string? Password { get; init; }

    /// <summary>ArduinoOTA.setHostname; null is the core's default, esp8266-XXXXXX from the chip id (the MAC's last three bytes).</summary>
    public string? Hostname { get; init; }

    /// <summary>The TXT record's board (the core's ARDUINO_BOARD_ID; ESP8266_GENERIC for "Generic ESP8266 Module").</summary>
    public string Board { get; init; } = "ESP8266_GENERIC";

    /// <summary>The UDP port on 127.0.0.1 where the module answers DNS-SD queries for its <c>_arduino._tcp</c> service
    /// by unicast; 0 picks one, null answers none. (Port 5353 multicast is shared by everything on the machine.)</summary>
    public int? MdnsPort { get; init; }

    /// <summary>Size of the sketch in flash before any update (for the "not enough space" check); the seed's sketch is about 260 KB.</summary>
    public int InitialSketchSize { get; init; } = 260 * 1024;

    /// <summary>How long the device waits for more image bytes (ArduinoOTA: 1 s) before it gives up.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
