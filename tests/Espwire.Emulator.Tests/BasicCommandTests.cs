using Espwire.Emulator.Tests.Support;

namespace Espwire.Emulator.Tests;

public class BasicCommandTests
{
    [Theory]
    [InlineData(FirmwareDialect.NonOs, "AT\r\r\n\r\nOK\r\n")]
    [InlineData(FirmwareDialect.EspAt, "AT\r\n\r\nOK\r\n")]
    public async Task At_answers_ok_with_the_dialects_echo(FirmwareDialect dialect, string expected)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        Assert.Equal(expected, await h.Host.CommandAsync("AT"));
    }

    [Fact]
    public async Task Gmr_17_has_no_blank_line_before_ok()
    {
        await using var h = await ModuleHarness.StartAsync(FirmwareDialect.NonOs);
        Assert.Equal(
            "AT+GMR\r\r\nAT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\ncompile time:May 27 2020 10:12:17\r\nBin version(Wroom 02):1.7.4\r\nOK\r\n",
            await h.Host.CommandAsync("AT+GMR"));
    }

    [Fact]
    public async Task Boot_prints_rom_garbage_then_ready()
    {
        await using var h = await ModuleHarness.StartAsync();
        Assert.EndsWith("\r\nready\r\n", h.BootOutput);
        Assert.DoesNotContain("ets Jan", h.BootOutput);
        Assert.True(h.BootOutput.Length > 50, HostEnd.Escape(h.BootOutput));
    }
}
