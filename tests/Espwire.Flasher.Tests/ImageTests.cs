using Espwire.Flasher.Chip;
using Espwire.Flasher.Image;

namespace Espwire.Flasher.Tests;

public class ImageTests
{
    /// <summary>A v1 image built by hand: header, two segments, zero padding to 15 mod 16, checksum.</summary>
    internal static byte[] BuildImage(byte mode = 0, byte sizeFreq = 0x20)
    {
        var s1 = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var s2 = new byte[] { 0xC0, 0xDB, 0x10, 0x20 };
        var bytes = new List<byte> { 0xE9, 2, mode, sizeFreq, 0x04, 0x00, 0x10, 0x40 };
        void Segment(uint address, byte[] data)
        {
            bytes.AddRange(BitConverter.GetBytes(address));
            bytes.AddRange(BitConverter.GetBytes((uint)data.Length));
            bytes.AddRange(data);
        }
        Segment(0x40100000, s1);
        Segment(0x3FFE8000, s2);
        while (bytes.Count % 16 != 15) bytes.Add(0);
        byte sum = 0xEF;
        foreach (var b in s1.Concat(s2)) sum ^= b;
        bytes.Add(sum);
        return bytes.ToArray();
    }

    [Fact]
    public void Parses_a_valid_v1_image()
    {
        var image = FirmwareImage.Parse(BuildImage());
        Assert.True(image.IsValid, string.Join("; ", image.Problems));
        Assert.Equal(2, image.Segments.Count);
        Assert.Equal(0x40100004u, image.EntryPoint);
        Assert.Equal(FlashMode.Qio, image.FlashMode);
        Assert.Equal("1MB", image.FlashSize!.Name);
        Assert.Equal(FlashFrequency.Freq40m, image.FlashFrequency);
        Assert.Equal("IRAM", image.Segments[0].Region);
        Assert.Equal("DRAM", image.Segments[1].Region);
        Assert.Equal(0x0020, image.FlashParams);
        Assert.Equal(48, image.ImageLength);
    }

    [Fact]
    public void A_damaged_segment_fails_the_checksum()
    {
        var bytes = BuildImage();
        bytes[20] ^= 0xFF;
        var image = FirmwareImage.Parse(bytes);
        Assert.False(image.IsValid);
        Assert.Contains(image.Problems, p => p.Contains("Checksum", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0 }, "not 0xE9")]
    [InlineData(new byte[] { 0xE9, 1 }, "header")]
    [InlineData(new byte[] { 0xE9, 1, 0, 0x20, 0, 0, 0, 0, 0, 0, 0x10, 0x40, 0xFF, 0xFF, 0, 0 }, "claims")]
    [InlineData(new byte[] { 0xE9, 0, 0, 0x20, 0, 0, 0, 0 }, "segments")]
    public void Bad_images_say_what_is_wrong(byte[] bytes, string problem)
    {
        var image = FirmwareImage.Parse(bytes);
        Assert.False(image.IsValid);
        Assert.Contains(image.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Patching_at_address_0_sets_mode_size_and_frequency()
    {
        var patched = FlashParamsPatch.Apply(0, BuildImage(), FlashMode.Dout, FlashSize.Size4MBc1, FlashFrequency.Freq80m);
        Assert.NotNull(patched);
        Assert.Equal(0x036F, patched.Value.Params);
        Assert.Equal(0x03, patched.Value.Data[2]);
        Assert.Equal(0x6F, patched.Value.Data[3]);
        // Only bytes 2-3 change.
        var original = BuildImage();
        Assert.Equal(original.Length, patched.Value.Data.Length);
        Assert.Equal(original.Where((_, i) => i is not (2 or 3)), patched.Value.Data.Where((_, i) => i is not (2 or 3)));
    }

    [Fact]
    public void Patching_keeps_what_is_not_given_and_skips_other_addresses()
    {
        var patched = FlashParamsPatch.Apply(0, BuildImage(mode: 2, sizeFreq: 0x4F), null, FlashSize.Size1MB, null);
        Assert.Equal(0x022F, patched!.Value.Params);
        Assert.Null(FlashParamsPatch.Apply(0x1000, BuildImage(), FlashMode.Dout, null, null));
        Assert.Null(FlashParamsPatch.Apply(0, new byte[16], FlashMode.Dout, null, null));
    }
}
