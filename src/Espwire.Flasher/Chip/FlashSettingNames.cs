namespace Espwire.Flasher.Chip;

/// <summary>esptool's spellings of flash settings on the command line (qio, dout, 40m, 80m).</summary>
public static class FlashSettingNames
{
    public static string Of(FlashMode mode) => mode.ToString().ToLowerInvariant();

    public static string Of(FlashFrequency freq) => freq switch
    {
        FlashFrequency.Freq40m => "40m",
        FlashFrequency.Freq26m => "26m",
        FlashFrequency.Freq20m => "20m",
        FlashFrequency.Freq80m => "80m",
        _ => $"0x{(byte)freq:x}",
    };

    public static FlashMode? ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "qio" => FlashMode.Qio,
        "qout" => FlashMode.Qout,
        "dio" => FlashMode.Dio,
        "dout" => FlashMode.Dout,
        _ => null,
    };

    public static FlashFrequency? ParseFrequency(string text) => text.ToLowerInvariant() switch
    {
        "40m" => FlashFrequency.Freq40m,
        "26m" => FlashFrequency.Freq26m,
        "20m" => FlashFrequency.Freq20m,
        "80m" => FlashFrequency.Freq80m,
        _ => null,
    };
}
