namespace Espwire.Flasher.Image;

/// <summary>One segment of a v1 image: where it loads, how long it is, and where it sits in the file.</summary>
public sealed record ImageSegment(uint LoadAddress, int Length, int FileOffset)
{
    /// <summary>The memory the load address falls in, as the ESP8266 maps it.</summary>
    public string Region => LoadAddress switch
    {
        >= 0x40100000 and < 0x40108000 => "IRAM",
        >= 0x3FFE8000 and < 0x40000000 => "DRAM",
        >= 0x40200000 and < 0x40300000 => "IROM",
        >= 0x60000000 and < 0x60002000 => "RTC",
        _ => "?",
    };
}
