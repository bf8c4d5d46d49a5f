using System.Text.Json;
using Espwire.Flasher.Stub;

namespace Espwire.Flasher.Tests.Support;

/// <summary>A synthetic stub in esptool's JSON format: random bytes, never executed (the emulator acts as the stub).</summary>
internal static class TestStub
{
    public static string Json()
    {
        var random = new Random(8266);
        var text = new byte[7000];
        var data = new byte[300];
        random.NextBytes(text);
        random.NextBytes(data);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["entry"] = 0x4010E004u,
            ["text"] = Convert.ToBase64String(text),
            ["text_start"] = 0x4010E000u,
            ["data"] = Convert.ToBase64String(data),
            ["data_start"] = 0x3FFFABA4u,
            ["bss_start"] = 0x3FFFAC00u,
        });
    }

    public static FlasherStub Load() => FlasherStub.Parse(Json(), "synthetic test stub");

    public static byte[] Image(int size, int seed)
    {
        // Half random (incompressible), half patterned (compressible), like real firmware.
        var image = new byte[size];
        new Random(seed).NextBytes(image.AsSpan(0, size / 2));
        for (var i = size / 2; i < size; i++) image[i] = (byte)(i % 7 == 0 ? 0xC0 : i % 5 == 0 ? 0xDB : i / 64);
        return image;
    }
}
