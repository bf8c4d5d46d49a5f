using Espwire.Flasher.Reset;
using Espwire.Flasher.Tests.Support;

namespace Espwire.Flasher.Tests;

public class ResetTests
{
    [Fact]
    public async Task Classic_reset_holds_en_low_then_releases_it_with_gpio0_low()
    {
        var link = new SignalRecordingLink(new MemoryStream(), supportsSignals: true);
        await new ClassicReset(TimeSpan.FromMilliseconds(1)).ResetAsync(link, CancellationToken.None);
        Assert.Equal(new (bool?, bool?)[] { (false, true), (true, false), (false, null) }, link.Signals);
    }

    [Fact]
    public async Task Unix_tight_reset_changes_both_lines_together()
    {
        var link = new SignalRecordingLink(new MemoryStream(), supportsSignals: true);
        await new UnixTightReset(TimeSpan.FromMilliseconds(1)).ResetAsync(link, CancellationToken.None);
        Assert.Equal(new (bool?, bool?)[] { (false, false), (true, true), (false, true), (true, false), (false, false) }, link.Signals);
    }

    [Fact]
    public async Task Hard_reset_pulses_en_with_gpio0_high()
    {
        var link = new SignalRecordingLink(new MemoryStream(), supportsSignals: true);
        await new HardReset().ResetAsync(link, CancellationToken.None);
        Assert.Equal(new (bool?, bool?)[] { (false, true), (false, false) }, link.Signals);
    }

    [Fact]
    public void Links_without_signals_and_no_reset_use_no_reset()
    {
        Assert.IsType<NoReset>(Assert.Single(ResetSequence.For(BeforeAction.DefaultReset, new SignalRecordingLink(new MemoryStream()))));
        Assert.IsType<NoReset>(Assert.Single(ResetSequence.For(BeforeAction.NoReset, new SignalRecordingLink(new MemoryStream(), true))));
    }

    [Fact]
    public void Default_reset_cycles_50_and_550_ms()
    {
        var sequence = ResetSequence.For(BeforeAction.DefaultReset, new SignalRecordingLink(new MemoryStream(), true));
        Assert.Contains(sequence, s => s is ClassicReset { Delay.TotalMilliseconds: 50 });
        Assert.Contains(sequence, s => s is ClassicReset { Delay.TotalMilliseconds: 550 });
        if (!OperatingSystem.IsWindows()) Assert.IsType<UnixTightReset>(sequence[0]);
    }
}
