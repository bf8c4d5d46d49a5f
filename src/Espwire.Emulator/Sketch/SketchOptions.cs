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

    /// <summary>Which sketch runs: the seed's own, or the seed's sketch rewritten with the Espwire library.</summary>
    public SketchKind Kind { get; init; } = SketchKind.Seed;

    /// <summary>When set, each connection starts with the line <c>@id NAME</c> so the receiver names the device.</summary>
    public string? DeviceId { get; init; }

    /// <summary>With no <see cref="DeviceId"/>: name the device PREFIX-N, N the module's 1-based number (module 0 is
    /// <c>radar-1</c>), so several modules are told apart. Null keeps the seed's way: no name, known by its address.
    /// The Espwire sketch always needs a name; it falls back to <c>module-N</c>.</summary>
    public string? DeviceNamePrefix { get; init; }

    /// <summary>The Espwire sketch's ring of unacknowledged readings, in bytes (the library's ESPWIRE_RING_BYTES).</summary>
    public int RingBytes { get; init; } = 8192;

    /// <summary>Where the sketch reports what it is doing (scanning, joined, sending, cannot reach the server) for a
    /// console to show; the serial output stays the sketch's own.</summary>
    public IProgress<SketchProgress>? Progress { get; init; }

    /// <summary>The Wi-Fi signal the module hears; tests and demos drop and restore it. Null: always there.</summary>
    public WifiSignal? Signal { get; init; }

    /// <summary>Counts what the sketch produced and what was acknowledged or lost; null counts nothing.</summary>
    public SketchCounters? Counters { get; init; }

    /// <summary>The first counter value (the seed's <c>int num = 0</c>).</summary>
    public int FirstValue { get; init; }

    /// <summary>Stop after this many loops; null loops forever. Tests and demos use it to bound traffic.</summary>
    public int? MaxReadings { get; init; }

    /// <summary>The sketch calls ArduinoOTA.begin() after joining (updates over Wi-Fi, see Ota/); null: built without OTA.</summary>
    public Ota.OtaDeviceOptions? Ota { get; init; }

    /// <summary>The name module <paramref name="moduleIndex"/> (0-based) sends in its <c>@id</c> line; null sends none.</summary>
    public string? DeviceNameFor(int moduleIndex)
        => DeviceId
            ?? (DeviceNamePrefix is { } prefix ? $"{prefix}-{moduleIndex + 1}" : null)
            ?? (Kind == SketchKind.Espwire ? $"module-{moduleIndex + 1}" : null);
}
