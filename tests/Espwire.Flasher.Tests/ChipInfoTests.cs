using Espwire.Protocol.Rom;
using Espwire.Emulator.Bootloader;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Reset;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Protocol;
using Espwire.Flasher.Tests.Support;
using Espwire.Testing;

namespace Espwire.Flasher.Tests;

public class ChipInfoTests
{
    [Fact]
    public async Task Detects_esp8266ex_mac_crystal_and_flash()
    {
        await using var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 4 << 20 });
        var connection = await module.ConnectAsync();
        var info = await ChipDetector.DetectAsync(connection, 115200);
        Assert.Equal("ESP8266EX", info.ChipName);
        Assert.Equal("18:fe:34:a1:b2:c3", info.Mac);
        Assert.Equal(26, info.CrystalMHz);
        Assert.Equal(0x1640EFu, info.Flash!.Raw);
        Assert.Equal(0xEF, info.Flash.Manufacturer);
        Assert.Equal(0x4016, info.Flash.Device);
        Assert.Equal("4MB", info.Flash.Size!.Name);
    }

    [Fact]
    public async Task Sfdp_table_is_readable_through_the_spi_registers()
    {
        await using var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 4 << 20 });
        var connection = await module.ConnectAsync();
        Assert.Equal(0x50444653u, await SpiFlashCommands.ReadSfdpAsync(connection, 0)); // "SFDP"
        // Basic flash parameter table, second dword: density in bits minus one (4 MB).
        Assert.Equal((4u << 20) * 8 - 1, await SpiFlashCommands.ReadSfdpAsync(connection, 0x34));
    }

    [Fact]
    public async Task Detects_esp8285_and_a_mac_outside_the_default_ouis()
    {
        await using var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 1 << 20, Esp8285 = true, Mac = "5c:cf:7f:01:02:03" });
        var connection = await module.ConnectAsync();
        var info = await ChipDetector.DetectAsync(connection, 115200);
        Assert.Equal("ESP8285", info.ChipName);
        Assert.Equal("5c:cf:7f:01:02:03", info.Mac);
        Assert.Equal("1MB", info.Flash!.Size!.Name);
    }

    [Fact]
    public void Mac_from_efuses_with_second_default_oui()
    {
        Assert.Equal("ac:d0:74:12:34:56", ChipDetector.FormatMac(ChipDetector.Mac([0x56000000u, 0x00011234u, 0, 0])));
    }

    [Theory]
    [InlineData(451u, 115200, 26)]
    [InlineData(694u, 115200, 40)]
    public void Crystal_from_divisor(uint divisor, int baud, int mhz)
    {
        Assert.Equal(mhz, ChipDetector.Crystal(divisor, baud));
    }

    [Fact]
    public async Task Get_security_info_fails_on_the_esp8266_rom_as_esptool_v5_expects()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        var e = await Assert.ThrowsAsync<DeviceErrorException>(() => connection.ExecuteAsync(new GetSecurityInfoCommand()));
        Assert.Equal(DeviceErrorCode.InvalidMessage, e.Error);
        Assert.Equal(Opcode.GetSecurityInfo, e.Command);
        Assert.Contains("stub", e.Hint, StringComparison.Ordinal);
        // ... and the magic register still answers afterwards.
        Assert.Equal(Esp8266.ChipMagic, await ChipDetector.ReadRegAsync(connection, Esp8266.ChipDetectMagicAddress));
    }

    [Fact]
    public async Task Rom_sends_eight_sync_replies_and_the_connector_drains_them()
    {
        await using var module = new EmulatedBootloader();
        var recorded = new RecordingStream(module.Link.Stream);
        var connection = await BootloaderConnector.ConnectAsync(new SignalRecordingLink(recorded), new ConnectOptions { Before = BeforeAction.NoReset, TimeoutScale = 5 * TestTimeouts.Scale });
        Assert.Equal(Esp8266.ChipMagic, await ChipDetector.ReadRegAsync(connection, Esp8266.ChipDetectMagicAddress));

        // The UART is in order: every SYNC reply came before the READ_REG reply, so all of them were received by now.
        var frames = new List<byte[]>();
        new SlipDecoder().Feed(recorded.Received, frames);
        // One READ_REG and the SYNCs reached the ROM. Usually that is one SYNC, but on a loaded machine the first
        // reply can miss the SYNC timeout and the connector sends another (a stressed run saw 16 replies to 2 SYNCs).
        var syncs = module.Bootloader.Stats.Commands - 1;
        var defaults = new ConnectOptions();
        Assert.InRange(syncs, 1, defaults.Attempts * defaults.SyncsPerAttempt);
        Assert.Equal(8 * syncs, frames.Count(f => (Opcode)f[1] == Opcode.Sync));
        Assert.All(frames.Where(f => (Opcode)f[1] == Opcode.Sync), f => Assert.Equal(Convert.FromHexString("010802000707122000 00".Replace(" ", "")), f));
        Assert.Single(frames, f => (Opcode)f[1] == Opcode.ReadReg);
        Assert.Equal(8 * syncs + 1, frames.Count);
    }
}
