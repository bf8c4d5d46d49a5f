namespace Espwire.Emulator.Sketch;

/// <summary>WiFi.status() values of the ESP8266 Arduino core (wl_definitions.h).</summary>
public enum WifiStatus
{
    Idle = 0,
    NoSsidAvailable = 1,
    ScanCompleted = 2,
    Connected = 3,
    ConnectFailed = 4,
    ConnectionLost = 5,
    WrongPassword = 6,
    Disconnected = 7,
}
