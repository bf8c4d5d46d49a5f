using Espwire.Protocol.Rom;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Tests;

public class SlipTests
{
    [Fact]
    public void C0_and_DB_in_data_are_escaped()
    {
        Assert.Equal(new byte[] { 0xC0, 0x01, 0xDB, 0xDC, 0x02, 0xDB, 0xDD, 0x03, 0xC0 }, Slip.Encode([0x01, 0xC0, 0x02, 0xDB, 0x03]));
    }

    [Fact]
    public void Decoding_one_byte_at_a_time_restores_C0_and_DB()
    {
        var data = new byte[] { 0xC0, 0xDB, 0xDB, 0xC0, 0x00, 0xDC, 0xDD };
        var wire = Slip.Encode(data);
        var decoder = new SlipDecoder();
        var frames = new List<byte[]>();
        foreach (var b in wire) decoder.Feed([b], frames);
        Assert.Equal(data, Assert.Single(frames));
    }

    [Fact]
    public void Back_to_back_frames_and_noise_between_them()
    {
        var wire = new List<byte>();
        wire.AddRange("ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n"u8.ToArray());
        wire.AddRange(Slip.Encode([1, 2]));
        wire.AddRange(Slip.Encode([3]));
        var decoder = new SlipDecoder();
        var frames = new List<byte[]>();
        decoder.Feed(wire.ToArray(), frames);
        Assert.Equal(2, frames.Count);
        Assert.Equal(new byte[] { 1, 2 }, frames[0]);
        Assert.Equal(new byte[] { 3 }, frames[1]);
        Assert.Contains("boot mode:(3,6)", decoder.NoiseText, StringComparison.Ordinal);
        Assert.True(decoder.NoiseBytes > 40);
    }

    [Fact]
    public void A_bad_escape_drops_the_frame_but_not_the_next()
    {
        var decoder = new SlipDecoder();
        var frames = new List<byte[]>();
        decoder.Feed([0xC0, 0x01, 0xDB, 0x41, 0x02, 0xC0, 0xC0, 0x07, 0xC0], frames);
        Assert.Equal(new byte[] { 0x07 }, Assert.Single(frames));
        Assert.Equal(1, decoder.DroppedFrames);
    }

    [Fact]
    public void Over_long_frames_are_dropped_and_decoding_recovers()
    {
        var decoder = new SlipDecoder(maxFrameLength: 16);
        var frames = new List<byte[]>();
        var longFrame = Slip.Encode(new byte[100]);
        decoder.Feed(longFrame, frames);
        decoder.Feed(Slip.Encode([9, 9]), frames);
        Assert.Equal(new byte[] { 9, 9 }, Assert.Single(frames));
        Assert.Equal(1, decoder.DroppedFrames);
    }
}
