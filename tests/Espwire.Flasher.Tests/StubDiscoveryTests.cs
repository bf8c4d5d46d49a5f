using Espwire.Flasher.Errors;
using Espwire.Flasher.Reset;
using Espwire.Flasher.Session;
using Espwire.Flasher.Stub;
using Espwire.Flasher.Tests.Support;
using Espwire.Testing;

namespace Espwire.Flasher.Tests;

/// <summary>Stub discovery from each place users have one, as fixtures in a temporary folder.</summary>
public sealed class StubDiscoveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-stubs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FlasherStub Synthetic => TestStub.Load();

    [Fact]
    public void Esptool_v5_install_prefers_stub_2_over_1_as_esptool_does()
    {
        var one = StubFixtures.Write(_dir, "lib/python3.11/site-packages/esptool/targets/stub_flasher/1/esp8266.json", TestStub.Json());
        var two = StubFixtures.Write(_dir, "lib/python3.11/site-packages/esptool/targets/stub_flasher/2/esp8266.json", TestStub.Json());
        StubFixtures.Write(_dir, "lib/python3.11/site-packages/esptool/targets/stub_flasher/2/esp32.json", "{}");
        var all = StubLocator.FindAll([_dir]);
        Assert.Equal([two, one], all.Select(c => c.Path));
        Assert.Equal(StubSourceKind.EsptoolJson, all[0].Kind);
        Assert.Equal("esptool v4.8+/v5 install (stub_flasher/2)", all[0].Description);
        Assert.Equal(Synthetic.Text, all[0].Load().Text);
    }

    [Fact]
    public void Esptool_v4_install_has_the_flat_json()
    {
        var path = StubFixtures.Write(_dir, "esptool/targets/stub_flasher/stub_flasher_8266.json", TestStub.Json());
        var found = StubLocator.Find([_dir]);
        Assert.Equal(path, found!.Path);
        Assert.Equal(StubSourceKind.EsptoolLegacyJson, found.Kind);
        Assert.Equal(Synthetic.Entry, found.Load().Entry);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_stub_embedded_in_esptool_py_reads_back_byte_for_byte(bool entryFirst)
    {
        var stub = Synthetic with { Text = [.. StubFixtures.TrickyText, .. Synthetic.Text] };
        var path = StubFixtures.Write(_dir, "esptool.py", StubFixtures.EsptoolPy(stub, entryFirst));
        var read = EmbeddedStub.Load(path);
        Assert.Equal(stub.Text, read.Text);
        Assert.Equal(stub.Data, read.Data);
        Assert.Equal((stub.Entry, stub.TextStart, stub.DataStart), (read.Entry, read.TextStart, read.DataStart));
    }

    [Fact]
    public void Bytes_with_a_single_quote_use_double_quotes_and_still_read()
    {
        var stub = Synthetic with { Data = [0x27, 0x41, 0x5C, 0x00] };
        Assert.StartsWith("b\"", StubFixtures.Repr(stub.Data), StringComparison.Ordinal);
        var read = EmbeddedStub.Parse(StubFixtures.EsptoolPy(stub), "esptool.py");
        Assert.Equal(stub.Data, read.Data);
    }

    [Fact]
    public void The_arduino_esp8266_core_is_found_under_home_and_the_newest_core_wins()
    {
        var home = Path.Combine(_dir, "home");
        StubFixtures.Write(home, ".arduino15/packages/esp8266/hardware/esp8266/2.7.4/tools/esptool/esptool.py", StubFixtures.EsptoolPy(Synthetic with { Entry = 0x4010E008 }));
        var newest = StubFixtures.Write(home, ".arduino15/packages/esp8266/hardware/esp8266/3.1.2/tools/esptool/esptool.py", StubFixtures.EsptoolPy(Synthetic));
        // An esptool.py without the ESP8266 stub (a wrapper script) is not a candidate.
        StubFixtures.Write(home, ".arduino15/packages/esp8266/hardware/esp8266/3.1.2/tools/upload/esptool.py", "import esptool\nesptool.main()\n");
        var found = StubLocator.Find(StubLocator.DefaultRoots(home, workingDirectory: Path.Combine(_dir, "project")));
        Assert.Equal(newest, found!.Path);
        Assert.Equal(StubSourceKind.EsptoolPy, found.Kind);
        Assert.Equal("embedded in the Arduino ESP8266 core's esptool.py (esptool v2/v3)", found.Description);
        Assert.Equal(Synthetic.Entry, found.Load().Entry);
    }

    [Fact]
    public void A_projects_npm_esptool_js_is_found_in_its_node_modules()
    {
        var project = Path.Combine(_dir, "project");
        var path = StubFixtures.Write(project, "node_modules/esptool-js/lib/targets/stub_flasher/esp8266.json", TestStub.Json());
        StubFixtures.Write(project, "node_modules/esptool-js/lib/targets/stub_flasher/esp32.json", "{}");
        var found = StubLocator.Find(StubLocator.DefaultRoots(Path.Combine(_dir, "nohome"), project));
        Assert.Equal(path, found!.Path);
        Assert.Equal(StubSourceKind.EsptoolJs, found.Kind);
        Assert.Equal("npm package esptool-js", found.Description);
    }

    [Fact]
    public void A_damaged_embedded_stub_is_a_clear_error()
    {
        var source = StubFixtures.EsptoolPy(Synthetic);
        var start = source.IndexOf(EmbeddedStub.Marker, StringComparison.Ordinal) + EmbeddedStub.Marker.Length + 10;
        var damaged = source[..start] + "!!!!" + source[(start + 4)..];
        var e = Assert.Throws<FlasherException>(() => EmbeddedStub.Parse(damaged, "esptool.py"));
        Assert.Contains("esptool.py: the ESP8266 stub embedded in it cannot be read", e.Message, StringComparison.Ordinal);
        Assert.Contains("--no-stub", e.Hint, StringComparison.Ordinal);
        Assert.Throws<FlasherException>(() => EmbeddedStub.Parse("print('no stub here')", "esptool.py"));
    }

    [Fact]
    public async Task The_real_esptool_js_stub_from_npm_is_found_uploaded_and_flashes()
    {
        var nodeModules = await NpmEsptoolJs.NodeModulesAsync();
        var found = StubLocator.Find([nodeModules]);
        Assert.Equal(StubSourceKind.EsptoolJs, found!.Kind);
        var real = found.Load();
        Assert.InRange(real.Entry, 0x40100000u, 0x4010FFFFu); // IRAM, where every ESP8266 stub runs
        Assert.True(real.Text.Length > 4096);

        await using var module = new EmulatedBootloader();
        var options = new FlashSessionOptions { Before = BeforeAction.NoReset, After = AfterAction.NoReset, StubSearchRoots = [nodeModules], TimeoutScale = 5 * TestTimeouts.Scale };
        var log = new List<string>();
        await using var session = await FlashSession.StartAsync(module.Link, options, new Inline(log.Add));
        Assert.True(session.IsStub);
        Assert.Equal(real.Text, session.Stub!.Text);
        Assert.Contains(log, l => l.Contains("(npm package esptool-js)", StringComparison.Ordinal));
        var image = TestStub.Image(20_000, 4);
        await session.Flasher.WriteAsync(0x8000, image);
        await session.Flasher.VerifyAsync(0x8000, image);
    }

    private sealed class Inline(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
