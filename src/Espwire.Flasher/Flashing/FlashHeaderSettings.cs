using Espwire.Flasher.Chip;

namespace Espwire.Flasher.Flashing;

/// <summary>
/// What to write into the header of an image at address 0 (esptool's --flash-mode/--flash-size/--flash-freq):
/// null keeps the image's own value; <see cref="DetectSize"/> takes the size the chip reported.
/// </summary>
public sealed record FlashHeaderSettings(FlashMode? Mode = null, FlashSize? Size = null, FlashFrequency? Frequency = null, bool DetectSize = false)
{
    public static readonly FlashHeaderSettings Keep = new();

    /// <summary>The size to patch in, given what the chip reported.</summary>
    public FlashSize? SizeFor(FlashSize? detected) => DetectSize ? detected : Size;
}
