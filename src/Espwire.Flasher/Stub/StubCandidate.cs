namespace Espwire.Flasher.Stub;

/// <summary>A stub found on the machine: where, and in which form.</summary>
public sealed record StubCandidate(string Path, StubSourceKind Kind)
{
    /// <summary>For people: "esptool v5 install (stub_flasher/2)".</summary>
    public string Description => Kind switch
    {
        StubSourceKind.File => "given with --stub",
        StubSourceKind.EsptoolJson => $"esptool v4.8+/v5 install (stub_flasher/{System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(Path))})",
        StubSourceKind.EsptoolLegacyJson => "esptool v4.0-4.7 install (stub_flasher_8266.json)",
        StubSourceKind.EsptoolPy => Path.Replace('\\', '/').Contains("/packages/esp8266/", StringComparison.Ordinal)
            ? "embedded in the Arduino ESP8266 core's esptool.py (esptool v2/v3)"
            : "embedded in esptool.py (esptool v2/v3)",
        StubSourceKind.EsptoolJs => "npm package esptool-js",
        _ => Kind.ToString(),
    };

    /// <summary>Reads the stub in whichever form it is stored.</summary>
    public FlasherStub Load() => Kind == StubSourceKind.EsptoolPy ? EmbeddedStub.Load(Path) : FlasherStub.Load(Path);
}
