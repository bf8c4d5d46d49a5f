using System.Net;

namespace Espwire.Ota;

/// <summary>How to reach the device and pace the upload. Defaults are espota.py's.</summary>
public sealed record OtaUploadOptions
{
    public const int DefaultPort = 8266;

    /// <summary>The device's ArduinoOTA UDP port (ArduinoOTA.setPort; 8266 unless the sketch changed it).</summary>
    public int DevicePort { get; init; } = DefaultPort;

    /// <summary>The OTA password (ArduinoOTA.setPassword), or null when the device has none.</summary>
    public string? Password { get; init; }

    public OtaImageKind Kind { get; init; } = OtaImageKind.Flash;

    /// <summary>The address the host's TCP listener binds, which the device connects back to. Null: the local
    /// address that routes to the device (loopback for a loopback device).</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>The host's TCP port; 0 picks a free one (espota picks a random one in 10000..60000).</summary>
    public int HostPort { get; init; }

    /// <summary>The file name that goes into espota's client nonce.</summary>
    public string ImageName { get; init; } = "firmware.bin";

    public OtaPacing Pacing { get; init; } = OtaPacing.Streamed;

    /// <summary>espota sends 1460 bytes (one Ethernet MSS) at a time.</summary>
    public int ChunkSize { get; init; } = 1460;

    /// <summary>espota waits 10 s for each UDP answer.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>espota waits 10 s for the device to connect back.</summary>
    public TimeSpan ConnectBackTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>espota allows 10 s for each chunk to go out and be answered.</summary>
    public TimeSpan ChunkTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>espota waits 60 s for the final <c>OK</c> (the device checks the MD5 and answers after a second).</summary>
    public TimeSpan ResultTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
