using System.CommandLine;
using System.Globalization;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Reset;
using Espwire.Flasher.Session;

namespace Espwire.Cli.Flash;

/// <summary>
/// The flash verbs' options, parsed and checked: the session options plus the header settings for address 0.
/// (Not the emulator's <c>FlashSettings</c>, which are the AT firmware's saved settings.)
/// </summary>
internal sealed record FlashVerbOptions(string Port, FlashSessionOptions Session, FlashMode? Mode, string SizeSetting, FlashFrequency? Frequency, bool Json)
{
    public static FlashVerbOptions From(ParseResult pr, FlashCliOptions o)
    {
        if (pr.GetValue(o.Stub) is not null && pr.GetValue(o.NoStub))
            throw new UsageException("--stub and --no-stub contradict each other: give one.");
        if (pr.GetValue(o.Stub) is { Exists: false } missing)
            throw new UsageException($"--stub {missing.FullName} does not exist.");
        var baud = pr.GetValue(o.Baud);
        if (baud is < 9600 or > 4_608_000) throw new UsageException($"--baud {baud} is outside 9600..4608000.");
        var scale = pr.GetValue(o.TimeoutScale);
        if (scale is <= 0 or > 100 || double.IsNaN(scale)) throw new UsageException("--timeout-scale must be above 0 and at most 100.");

        var modeText = pr.GetValue(o.FlashMode)!;
        FlashMode? mode = modeText == "keep" ? null : FlashSettingNames.ParseMode(modeText) ?? throw new UsageException($"--flash-mode {modeText}: use keep, qio, qout, dio or dout.");
        var freqText = pr.GetValue(o.FlashFreq)!;
        FlashFrequency? freq = freqText == "keep" ? null : FlashSettingNames.ParseFrequency(freqText) ?? throw new UsageException($"--flash-freq {freqText}: use keep, 40m, 26m, 20m or 80m.");
        var size = pr.GetValue(o.FlashSize)!;
        if (size is not ("keep" or "detect") && Flasher.Chip.FlashSize.FromName(size) is null)
            throw new UsageException($"--flash-size {size}: use keep, detect or one of {string.Join(", ", Flasher.Chip.FlashSize.All.Select(s => s.Name))}.");

        var session = new FlashSessionOptions
        {
            BaudRate = baud,
            Before = pr.GetValue(o.Before) == "no-reset" ? BeforeAction.NoReset : BeforeAction.DefaultReset,
            After = pr.GetValue(o.After) == "no-reset" ? AfterAction.NoReset : AfterAction.HardReset,
            StubFile = pr.GetValue(o.Stub)?.FullName,
            StubSearchRoots = pr.GetValue(o.StubSearch) is { Length: > 0 } roots ? roots.Select(Path.GetFullPath).ToArray() : null,
            NoStub = pr.GetValue(o.NoStub),
            TimeoutScale = scale,
        };
        return new FlashVerbOptions(pr.GetValue(o.Port)!, session, mode, size, freq, pr.GetValue(o.Json));
    }

    /// <summary>What to patch into an image at 0; <paramref name="keepSizeAs"/> replaces "keep" (restore-at knows its layout's size).</summary>
    public FlashHeaderSettings Header(FlashSize? keepSizeAs = null) => new(Mode,
        SizeSetting switch
        {
            "keep" => keepSizeAs,
            "detect" => null,
            _ => Flasher.Chip.FlashSize.FromName(SizeSetting),
        },
        Frequency,
        DetectSize: SizeSetting == "detect");

    /// <summary>Addresses as esptool takes them: 0x1000, 4096.</summary>
    public static uint ParseAddress(string text, string what)
    {
        var t = text.Trim();
        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(t.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            : uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok) throw new UsageException($"{what} '{text}' is not a number (0x1000 or 4096).");
        return value;
    }

    /// <summary>Sizes may also say ALL or use k/M suffixes as esptool's read_flash does not; keep it plain.</summary>
    public static uint ParseSize(string text, string what) => ParseAddress(text, what);
}
