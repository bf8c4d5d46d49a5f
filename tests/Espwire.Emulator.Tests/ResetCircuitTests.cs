using System.Text;
using System.Threading.Channels;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Tests.Support;
using Espwire.Testing;

namespace Espwire.Emulator.Tests;

/// <summary>DTR/RTS through the auto-reset circuit, GPIO0 strapping, and the ROM's boot text.</summary>
public class ResetCircuitTests
{
    private static (VirtualModule Module, ChannelReader<BootMode> Boots) Create(BootMode mode = BootMode.At, Listener? laptop = null)
    {
        // A sketch sends its readings to the test's own listener, never to the seed's default 127.0.0.1:12345.
        var sketch = laptop is null ? new Sketch.SketchOptions { MaxReadings = 0 } : new Sketch.SketchOptions { ServerHost = "127.0.0.1", ServerPort = laptop.Port, MaxReadings = 1 };
        var module = new VirtualModule(new ModuleOptions { Mode = mode, TimeScale = 0, Sketch = sketch });
        var boots = Channel.CreateUnbounded<BootMode>();
        module.Booted += m => boots.Writer.TryWrite(m);
        return (module, boots.Reader);
    }

    private static async Task<BootMode> NextBootAsync(ChannelReader<BootMode> boots)
    {
        using var cts = new CancellationTokenSource(HostEnd.Timeout);
        return await boots.ReadAsync(cts.Token);
    }

    [Fact]
    public async Task Esptool_classic_reset_enters_download_mode_even_with_lines_set_one_at_a_time()
    {
        var (module, boots) = Create();
        await using var _ = module;
        module.Start();
        Assert.Equal(BootMode.At, await NextBootAsync(boots));
        module.SetModemLines(dtr: false, rts: true);   // EN low: held in reset
        Assert.Null(module.Running);
        module.SetModemLines(dtr: true, rts: true);    // both asserted: EN released, GPIO0 not yet low
        module.SetModemLines(dtr: true, rts: false);   // GPIO0 low within the EN RC delay
        Assert.Equal(BootMode.Bootloader, await NextBootAsync(boots));
        module.SetModemLines(dtr: false, rts: false);
        Assert.Equal(BootMode.Bootloader, module.Running);
    }

    [Fact]
    public async Task Hard_reset_with_rts_boots_the_app_in_flash()
    {
        using var laptop = new Listener();
        var (module, boots) = Create(BootMode.Sketch, laptop);
        await using var _ = module;
        module.Start();
        Assert.Equal(BootMode.Sketch, await NextBootAsync(boots));
        module.SetModemLines(dtr: false, rts: true);
        module.SetModemLines(dtr: false, rts: false);
        Assert.Equal(BootMode.Sketch, await NextBootAsync(boots));
        Assert.Equal(2, module.BootCount);
    }

    [Fact]
    public async Task Reset_with_gpio0_low_enters_download_mode_and_high_returns_to_the_app()
    {
        var (module, boots) = Create();
        await using var _ = module;
        module.Start();
        Assert.Equal(BootMode.At, await NextBootAsync(boots));
        module.Reset(gpio0Low: true);
        Assert.Equal(BootMode.Bootloader, await NextBootAsync(boots));
        module.Reset(gpio0Low: false);
        Assert.Equal(BootMode.At, await NextBootAsync(boots));
    }

    [Fact]
    public async Task Bootloader_mode_holds_gpio0_low_so_every_reset_enters_download_mode()
    {
        var (module, boots) = Create(BootMode.Bootloader);
        await using var _ = module;
        module.Start();
        Assert.Equal(BootMode.Bootloader, await NextBootAsync(boots));
        module.SoftReset();
        Assert.Equal(BootMode.Bootloader, await NextBootAsync(boots));
    }

    [Fact]
    public async Task Bytes_sent_while_held_in_reset_are_lost_like_on_the_chip()
    {
        await using var h = await ModuleHarness.StartAsync();
        h.Module.SetModemLines(dtr: false, rts: true);
        await h.Host.SendAsync("AT+CWMODE=2\r\n");
        // The bytes are in the cable once SendAsync returns, not yet at the chip: release EN only after the module
        // has taken all 13 and dropped them, or a loaded machine lets them arrive after the reset and run.
        await Eventually.UntilAsync(() => h.Module.DroppedInputBytes >= 13, "the 13 bytes to reach the chip held in reset");
        h.Module.SetModemLines(dtr: false, rts: false);
        await h.Host.ReadUntilAsync("\r\nready\r\n");
        Assert.EndsWith("+CWMODE:1\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CWMODE?", "\r\nOK\r\n"));
    }

    [Theory]
    [InlineData(false, ResetCause.PowerOn, "rst cause:1, boot mode:(3,7)")]
    [InlineData(true, ResetCause.External, "rst cause:2, boot mode:(1,7)")]
    public void Boot_text_names_the_cause_and_mode(bool download, ResetCause cause, string expected)
    {
        var text = BootText.For(download, cause);
        Assert.Contains("ets Jan  8 2013," + expected, text);
        Assert.Equal(download, text.Contains("waiting for host", StringComparison.Ordinal));
    }

    [Fact]
    public void Boot_text_at_74880_reads_as_garbage_at_115200_and_clean_at_74880()
    {
        var clean = BootText.AsSeenAt(74880, false, ResetCause.External);
        Assert.Equal(BootText.For(false, ResetCause.External), Encoding.ASCII.GetString(clean));
        var garbage = BootText.AsSeenAt(115200, false, ResetCause.External);
        var text = Encoding.Latin1.GetString(garbage);
        Assert.DoesNotContain("ets", text);
        Assert.DoesNotContain("boot mode", text);
        Assert.InRange(garbage.Length, clean.Length / 2, clean.Length * 2);
        // Deterministic: the same text resamples to the same bytes.
        Assert.Equal(garbage, BootText.AsSeenAt(115200, false, ResetCause.External));
    }

    [Fact]
    public void Resampling_between_equal_rates_is_the_identity()
    {
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(data, UartResampler.Resample(data, 9600, 9600));
    }

    [Fact]
    public void Resampling_matches_a_hand_worked_frame()
    {
        // 0x00 at 9600 baud holds the line low for 9 of its bits (start + 8 zeros), 937.5 us. A 19200 receiver
        // starts at the falling edge and samples data bits 78..443 us in: all low, so it reads one 0x00; the line
        // rises at 937.5 us and never falls again, so there is no second frame.
        Assert.Equal(new byte[] { 0x00 }, UartResampler.Resample([0x00], 9600, 19200));
        // The other way round, 0xFF at 19200 is just a 52 us start bit: a 9600 receiver samples its middle at 52 us,
        // where the line is already high again, and rejects it as noise.
        Assert.Empty(UartResampler.Resample([0xFF], 19200, 9600));
    }

    [Fact]
    public async Task Hundreds_of_resets_leave_a_working_module()
    {
        await using var h = await ModuleHarness.StartAsync();
        for (var i = 0; i < 300; i++) h.Module.Reset(gpio0Low: i % 2 == 0);
        h.Module.Reset(gpio0Low: false);
        // Earlier boots may have printed part of their output; the last one ends with ready and answers.
        await h.Host.SendAsync("AT\r\n");
        await h.Host.ReadUntilAsync("AT\r\r\n\r\nOK\r\n");
        Assert.Equal(302, h.Module.BootCount);
        Assert.Equal(BootMode.At, h.Module.Running);
        Assert.Null(h.Module.LastFault);
    }
}
