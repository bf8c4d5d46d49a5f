using Espwire.Testing;

namespace Espwire.Firmware.Tests.Support;

/// <summary>A host-built example sketch running as a process: the shim's knobs set through its environment.</summary>
public static class Device
{
    /// <summary>Starts <paramref name="example"/>; the seed's laptop 192.168.0.40 it writes to (its SERVER_PORT
    /// 12345 included) is mapped by the shim to 127.0.0.1:<paramref name="serverPort"/>, the test's own receiver.</summary>
    public static ChildProcess Start(string buildDir, string example, int serverPort, double timeScale = 0.02, string? wifiFile = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ESPWIRE_SHIM_SERVER"] = $"127.0.0.1:{serverPort}",
            ["ESPWIRE_SHIM_TIME_SCALE"] = timeScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (wifiFile is not null) env["ESPWIRE_SHIM_WIFI_FILE"] = wifiFile;
        return ChildProcess.Start(Path.Combine(buildDir, example), [], env);
    }

    /// <summary>The example's closing line once every reading is acknowledged or dropped: "All N readings done: ...".</summary>
    public const string Done = " readings done: ";
}
