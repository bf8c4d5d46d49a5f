using System.Text.RegularExpressions;
using Espwire.Firmware.Tests.Support;

namespace Espwire.Firmware.Tests;

/// <summary>The library compiles for the ESP8266 itself (xtensa-lx106, Debian's gcc-xtensa-lx106).</summary>
public sealed partial class XtensaObjectTests
{
    [Fact]
    public void The_library_compiles_for_the_esp8266_and_its_ram_is_the_ring_plus_a_small_session()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-xtensa-").FullName;
        var (code, output) = FirmwareBuild.Run("bash", [Path.Combine(Repo.Firmware, "host", "xtensa.sh"), dir]);
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(dir, "EspwireClient.xtensa.o")), output);
        // size: text data bss; the library keeps no static RAM of its own (data and bss 0): all of it is the client object.
        var sizes = SizeLine().Match(output);
        Assert.True(sizes.Success, output);
        Assert.InRange(int.Parse(sizes.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1000, 16000);
        Assert.Equal("0", sizes.Groups[2].Value);
        Assert.Equal("0", sizes.Groups[3].Value);
        var client = ClientLine().Match(output);
        Assert.True(client.Success, output);
        var session = int.Parse(SessionLine().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(session, 64, 512);
        Assert.Equal(8192 + 512 + session, int.Parse(client.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\s*(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+[0-9a-f]+\s+\S*EspwireClient\.xtensa\.o", RegexOptions.Multiline)]
    private static partial Regex SizeLine();

    [GeneratedRegex(@"sizeof espwire_client: (\d+) bytes")]
    private static partial Regex ClientLine();

    [GeneratedRegex(@"sizeof espwire_session: (\d+) bytes")]
    private static partial Regex SessionLine();
}
