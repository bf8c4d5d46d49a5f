using System.Text;

namespace Espwire.Emulator.Hosting;

/// <summary>The ESP8266 ROM's boot log, printed at 74880 baud after every reset.</summary>
public static class BootText
{
    public const int RomBaud = 74880;

    /// <summary>The ROM's text for a reset; boot mode (3,7) is a flash boot, (1,7) the UART download mode.</summary>
    public static string For(bool downloadMode, ResetCause cause)
    {
        var head = $"\r\n ets Jan  8 2013,rst cause:{(int)cause}, boot mode:({(downloadMode ? 1 : 3)},7)\r\n\r\n";
        if (downloadMode) return head + "waiting for host\r\n";
        return head +
            "load 0x40100000, len 2592, room 16 \r\ntail 0\r\nchksum 0xf3\r\n" +
            "load 0x3ffe8000, len 764, room 8 \r\ntail 4\r\nchksum 0x92\r\n" +
            "load 0x3ffe8310, len 632, room 4 \r\ntail 4\r\nchksum 0xbc\r\ncsum 0xbc\r\n\r\n" +
            "2nd boot version : 1.7(5d6f877)\r\n  SPI Speed      : 40MHz\r\n  SPI Mode       : QIO\r\n" +
            "  SPI Flash Size & Map: 32Mbit(1024KB+1024KB)\r\njump to run user1 @ 1000\r\n\r\n";
    }

    /// <summary>The boot text as a receiver at <paramref name="hostBaud"/> reads it.</summary>
    public static byte[] AsSeenAt(int hostBaud, bool downloadMode, ResetCause cause)
        => UartResampler.Resample(Encoding.ASCII.GetBytes(For(downloadMode, cause)), RomBaud, hostBaud);
}
