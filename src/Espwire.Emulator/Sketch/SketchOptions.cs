namespace Espwire.Emulator.Sketch;

/// <summary>The seed's sketch constants, as options. Defaults are the seed's.</summary>
public sealed record SketchOptions
{
    public string Ssid { get; init; } = "iptime";

    public string Password { get; init; } = "admin";

    /// <summary>The server the sketch connects to: the seed's laptop, which the world maps to loopback.</summary>
    public string ServerHost { get; init; } = "192.168.0.40";

    public int ServerPort { get; init; } = 12345;

    /// <summary>The loop's delay after sending (the seed's <c>delay(1000)</c>); simulated time, so
    /// <c>--time-scale</c> shortens it like every other delay of the sketch.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public ValueShape Shape { get; init; } = ValueShape.Counter;

    /// <summary>When set, each connection starts with the line <c>@id NAME</c> so the receiver names the device.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The first counter value (the seed's <c>int num = 0</c>).</summary>
    public int FirstValue { get; init; }

    /// <summary>Stop after this many loops; null loops forever. Tests and demos use it to bound traffic.</summary>
    public int? MaxReadings { get; init; }

    /// <summary>The sketch calls ArduinoOTA.begin() after joining (updates over Wi-Fi, see Ota/); null: built without OTA.</summary>
    public Ota.OtaDeviceOptions? Ota { get; init; }
}
