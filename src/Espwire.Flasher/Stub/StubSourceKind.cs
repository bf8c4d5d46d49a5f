namespace Espwire.Flasher.Stub;

/// <summary>The kinds of place a user's ESP8266 flasher stub comes from.</summary>
public enum StubSourceKind
{
    /// <summary>A JSON file given with --stub.</summary>
    File,

    /// <summary>esptool v4.8+ / v5: <c>esptool/targets/stub_flasher/2/esp8266.json</c> (esp-flasher-stub, MIT/Apache) or <c>1/</c> (legacy).</summary>
    EsptoolJson,

    /// <summary>esptool v4.0-4.7: <c>esptool/targets/stub_flasher/stub_flasher_8266.json</c>.</summary>
    EsptoolLegacyJson,

    /// <summary>esptool v2/v3 <c>esptool.py</c> with the stub embedded (the Arduino ESP8266 core bundles one).</summary>
    EsptoolPy,

    /// <summary>An npm install of esptool-js: <c>lib/targets/stub_flasher/esp8266.json</c>.</summary>
    EsptoolJs,
}
