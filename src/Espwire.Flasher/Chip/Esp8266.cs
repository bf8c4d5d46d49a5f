namespace Espwire.Flasher.Chip;

/// <summary>ESP8266 facts flashers need, in one place (esptool targets/esp8266.py, the ROM's register map).</summary>
public static class Esp8266
{
    /// <summary>READ_REG here returns <see cref="ChipMagic"/> on an ESP8266.</summary>
    public const uint ChipDetectMagicAddress = 0x40001000;
    public const uint ChipMagic = 0xFFF0C101;

    /// <summary>The SYNC reply's value field from the ROM; the stub answers 0.</summary>
    public const uint RomSyncValue = 0x20120707;

    public const uint Efuse0 = 0x3FF00050;
    public const uint Efuse1 = 0x3FF00054;
    public const uint Efuse2 = 0x3FF00058;
    public const uint Efuse3 = 0x3FF0005C;

    /// <summary>UART0 clock divisor; with the host's baud rate it gives the crystal frequency.</summary>
    public const uint UartClockDivAddress = 0x60000014;
    public const uint UartClockDivMask = 0xFFFFF;
    public const double CrystalClockDivider = 2;

    /// <summary>SPI0 (the flash) controller and its registers.</summary>
    public const uint SpiBase = 0x60000200;
    public const uint SpiCmd = SpiBase + 0x00;
    public const uint SpiAddr = SpiBase + 0x04;
    public const uint SpiUsr = SpiBase + 0x1C;
    public const uint SpiUsr1 = SpiBase + 0x20;
    public const uint SpiUsr2 = SpiBase + 0x24;
    public const uint SpiW0 = SpiBase + 0x40;

    /// <summary>CMD bit that starts a user-defined SPI transaction; the controller clears it when done.</summary>
    public const uint SpiCmdUsr = 1u << 18;
    public const uint SpiUsrCommand = 1u << 31;
    public const uint SpiUsrAddr = 1u << 30;
    public const uint SpiUsrMiso = 1u << 28;
    public const uint SpiUsrMosi = 1u << 27;
    public const int SpiUsr1MisoShift = 8;
    public const int SpiUsr1MosiShift = 17;
    public const int SpiUsr1AddrShift = 26;

    /// <summary>SPI flash commands run through the user-command registers.</summary>
    public const byte FlashReadId = 0x9F;
    public const byte FlashReadSfdp = 0x5A;

    public const int SectorSize = 0x1000;
    public const int RomBlockSize = 0x400;
    public const int StubBlockSize = 0x4000;
    public const int MemBlockSize = 0x1800;

    /// <summary>The OUIs Espressif used for ESP8266 MACs when efuse word 3 holds none.</summary>
    public static readonly byte[][] DefaultOuis = [[0x18, 0xFE, 0x34], [0xAC, 0xD0, 0x74]];
}
