using Espwire.Emulator.Bootloader;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Flashing;

namespace Espwire.Flasher.Tests;

public class EraseSizeTests
{
    [Theory]
    [InlineData(0x0u, 0x100000u, 0xF0000u)]     // 256 sectors from a block boundary: ask for 240
    [InlineData(0x0u, 0x10000u, 0x8000u)]       // one 64 KB block: ask for half
    [InlineData(0x1000u, 0x1000u, 0x1000u)]     // one sector
    [InlineData(0x3000u, 0x20000u, 0x13000u)]   // 32 sectors starting 3 into a block: 13 head sectors
    public void Workaround_matches_esptool(uint offset, uint size, uint expected)
    {
        Assert.Equal(expected, EraseSize.ForRom(offset, size));
    }

    [Fact]
    public async Task Rom_over_erases_without_the_workaround_and_not_with_it()
    {
        await using var module = new Support.EmulatedBootloader();
        var flash = module.Bootloader.Flash;
        flash.EraseSectors(0, 64);
        flash.Program(0x10000, new byte[0x10000]); // zeros in the second 64 KB block
        var connection = await module.ConnectAsync();

        // Naive: 64 KB at 0 erases 128 KB on the ROM.
        await connection.ExecuteAsync(new FlashBeginCommand(0x10000, 0, 0x400, 0));
        Assert.Equal(0xFF, flash.Read(0x10000, 1)[0]);

        flash.Program(0x10000, new byte[0x10000]);
        await connection.ExecuteAsync(new FlashBeginCommand(EraseSize.ForRom(0, 0x10000), 0, 0x400, 0));
        Assert.Equal(0x00, flash.Read(0x10000, 1)[0]);
        Assert.Equal(0xFF, flash.Read(0xFFFF, 1)[0]);
    }
}
