using Espwire.Flasher.Chip;

namespace Espwire.Flasher.Flashing;

/// <summary>
/// The ESP8266 ROM's FLASH_BEGIN erases more than asked: the sectors up to the next 64 KB block boundary are
/// counted twice. Asking for this size instead makes it erase exactly the region (esptool's get_erase_size).
/// </summary>
public static class EraseSize
{
    private const int SectorsPerBlock = 16;

    public static uint ForRom(uint offset, uint size)
    {
        var sectors = (size + Esp8266.SectorSize - 1) / Esp8266.SectorSize;
        var startSector = offset / Esp8266.SectorSize;
        var head = Math.Min(SectorsPerBlock - startSector % SectorsPerBlock, sectors);
        return sectors < 2 * head
            ? (sectors + 1) / 2 * Esp8266.SectorSize
            : (sectors - head) * Esp8266.SectorSize;
    }
}
