using System.Globalization;

namespace Espwire.Emulator.Bootloader;

/// <summary>
/// The registers flashers read and write over READ_REG/WRITE_REG: the chip magic, the efuses (chip kind and MAC),
/// the UART divisor (crystal), and the SPI0 user-command registers that run flash commands (RDID, SFDP).
/// </summary>
public sealed class ChipRegisters
{
    public const uint ChipMagicAddress = 0x40001000;
    public const uint ChipMagic = 0xFFF0C101;
    public const uint Efuse0 = 0x3FF00050, Efuse1 = 0x3FF00054, Efuse2 = 0x3FF00058, Efuse3 = 0x3FF0005C;
    public const uint UartClockDiv = 0x60000014;
    public const uint SpiCmd = 0x60000200, SpiAddr = 0x60000204, SpiUsr = 0x6000021C, SpiUsr1 = 0x60000220, SpiUsr2 = 0x60000224, SpiW0 = 0x60000240;
    private const uint SpiUsrAddrFlag = 1u << 30;

    /// <summary>The ESP8266's APB clock with a 26 MHz crystal; the ROM's UART divisor is this over the baud rate.</summary>
    private const double UartClockHz = 52e6;

    private readonly Dictionary<uint, uint> _written = new();
    private readonly uint[] _efuses;
    private readonly uint _flashId;
    private readonly byte[] _sfdp;

    public ChipRegisters(BootloaderOptions options, int flashSize)
    {
        ArgumentNullException.ThrowIfNull(options);
        _efuses = EfusesFor(ParseMac(options.Mac), options.Esp8285);
        var capacity = (byte)Math.Log2(flashSize);
        _flashId = (uint)(options.FlashManufacturer | (options.FlashMemoryType << 8) | (capacity << 16));
        _sfdp = Sfdp.Table(flashSize);
    }

    /// <summary>The JEDEC id RDID returns (manufacturer, type, capacity), e.g. 0x1640EF for 4 MB Winbond.</summary>
    public uint FlashId => _flashId;

    /// <summary>SPI commands the virtual flash controller ran (RDID, SFDP...), for tests and logs.</summary>
    public int SpiCommandsRun { get; private set; }

    public uint Read(uint address, int uartBaudRate) => address switch
    {
        ChipMagicAddress => ChipMagic,
        Efuse0 => _efuses[0],
        Efuse1 => _efuses[1],
        Efuse2 => _efuses[2],
        Efuse3 => _efuses[3],
        UartClockDiv => (uint)Math.Round(UartClockHz / Math.Max(1, uartBaudRate)),
        _ => _written.GetValueOrDefault(address),
    };

    public void Write(uint address, uint value, uint mask)
    {
        var old = _written.GetValueOrDefault(address);
        _written[address] = (old & ~mask) | (value & mask);
        // esptool sets CMD bit 18 (USR); esptool-js writes other bits. Any non-zero write starts the user command.
        if (address == SpiCmd && value != 0) RunSpiCommand();
    }

    private void RunSpiCommand()
    {
        SpiCommandsRun++;
        var command = (byte)_written.GetValueOrDefault(SpiUsr2);
        switch (command)
        {
            case 0x9F: // RDID
                _written[SpiW0] = _flashId;
                break;
            case 0x5A: // SFDP: address in the ADDR register (MSB-aligned or not), else in the MOSI data.
                var usr = _written.GetValueOrDefault(SpiUsr);
                uint addr;
                if ((usr & SpiUsrAddrFlag) != 0)
                {
                    addr = _written.GetValueOrDefault(SpiAddr);
                    if (addr > 0xFFFFFF) addr >>= 8;
                }
                else
                {
                    var w0 = _written.GetValueOrDefault(SpiW0);
                    addr = ((w0 & 0xFF) << 16) | (w0 & 0xFF00) | ((w0 >> 16) & 0xFF);
                }
                uint word = 0;
                for (var i = 0; i < 4; i++)
                {
                    var at = addr + (uint)i;
                    word |= (uint)(at < _sfdp.Length ? _sfdp[at] : 0xFF) << (8 * i);
                }
                _written[SpiW0] = word;
                break;
            case 0x05: // RDSR: never busy
                _written[SpiW0] = 0;
                break;
        }
        _written[SpiCmd] = 0; // done
    }

    private static byte[] ParseMac(string mac)
    {
        var parts = mac.Split(':', '-');
        if (parts.Length != 6) throw new FormatException($"'{mac}' is not a MAC address like 18:fe:34:a1:b2:c3.");
        return parts.Select(p => byte.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Efuse words from which esptool derives this MAC and chip kind.</summary>
    private static uint[] EfusesFor(byte[] mac, bool esp8285)
    {
        var w0 = (uint)mac[5] << 24;
        if (esp8285) w0 |= 1u << 4;
        uint w1 = (uint)(mac[3] << 8 | mac[4]);
        uint w3 = 0;
        if (mac[0] == 0x18 && mac[1] == 0xFE && mac[2] == 0x34) { }
        else if (mac[0] == 0xAC && mac[1] == 0xD0 && mac[2] == 0x74) w1 |= 1u << 16;
        else w3 = (uint)(mac[0] << 16 | mac[1] << 8 | mac[2]);
        return [w0, w1, 0, w3];
    }
}
