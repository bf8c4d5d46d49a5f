using System.CommandLine;

namespace Espwire.Cli.Flash;

/// <summary>The options every <c>espwire flash</c> verb takes (esptool's global options), defined once, recursive.</summary>
internal sealed class FlashCliOptions
{
    public Option<string> Port { get; } = CommonOptions.Port();
    public Option<int> Baud { get; } = CommonOptions.Baud();
    public Option<string> Before { get; } = new("--before") { Description = "Before connecting: default-reset (DTR/RTS into download mode) or no-reset (GPIO0 already low; socket:// has no lines).", DefaultValueFactory = _ => "default-reset" };
    public Option<string> After { get; } = new("--after") { Description = "When done: hard-reset (run the new firmware) or no-reset (stay in the loader).", DefaultValueFactory = _ => "hard-reset" };
    public Option<FileInfo?> Stub { get; } = new("--stub") { Description = "Flasher stub: esptool's JSON (e.g. esptool/targets/stub_flasher/1/esp8266.json) or an esptool v2/v3 esptool.py. Default: found in a local esptool, Arduino ESP8266 core, PlatformIO or esptool-js install (espwire flash stub shows which)." };
    public Option<string[]> StubSearch { get; } = new("--stub-search") { Description = "Look for a stub only under DIR (an esptool, Arduino core or node_modules folder); repeatable.", HelpName = "DIR", AllowMultipleArgumentsPerToken = false };
    public Option<bool> NoStub { get; } = new("--no-stub") { Description = "Talk to the ROM only: slower, uncompressed, no MD5 verification and no read." };
    public Option<string> FlashMode { get; } = new("--flash-mode", "-fm") { Description = "Flash mode written into an image at 0x0: keep, qio, qout, dio, dout.", DefaultValueFactory = _ => "keep" };
    public Option<string> FlashSize { get; } = new("--flash-size", "-fs") { Description = "Flash size written into an image at 0x0: keep, detect, 256KB, 512KB, 1MB, 2MB, 2MB-c1, 4MB, 4MB-c1, 8MB, 16MB.", DefaultValueFactory = _ => "keep" };
    public Option<string> FlashFreq { get; } = new("--flash-freq", "-ff") { Description = "Flash clock written into an image at 0x0: keep, 40m, 26m, 20m, 80m.", DefaultValueFactory = _ => "keep" };
    public Option<double> TimeoutScale { get; } = new("--timeout-scale") { Description = "Multiply every timeout (slow adapters, remote serial servers).", DefaultValueFactory = _ => 1.0 };
    public Option<bool> Json { get; } = CommonOptions.Json();

    public FlashCliOptions()
    {
        Before.AcceptOnlyFromAmong("default-reset", "no-reset");
        After.AcceptOnlyFromAmong("hard-reset", "no-reset");
        foreach (var o in All) o.Recursive = true;
    }

    public IEnumerable<Option> All => [Port, Baud, Before, After, Stub, StubSearch, NoStub, FlashMode, FlashSize, FlashFreq, TimeoutScale, Json];
}
