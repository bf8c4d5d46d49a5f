using Espwire.Protocol.Rom;
using Espwire.Emulator.Bootloader;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Tests;

public class PacketVectorTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", ""));

    [Fact]
    public void Sync_request_is_byte_exact()
    {
        var expected = Hex("c0 00 08 2400 00000000 07071220" + string.Concat(Enumerable.Repeat("55", 32)) + " c0");
        Assert.Equal(expected, CommandPacket.EncodeFrame(new SyncCommand()));
    }

    [Fact]
    public void Read_reg_request_is_byte_exact()
    {
        Assert.Equal(Hex("c0 00 0a 0400 00000000 00100040 c0"), CommandPacket.EncodeFrame(new ReadRegCommand(0x40001000)));
    }

    [Fact]
    public void Real_esp8266_read_reg_magic_reply_parses()
    {
        Assert.True(ResponsePacket.TryParse(Hex("01 0a 0200 01c1f0ff 00 00"), out var reply));
        Assert.Equal(Opcode.ReadReg, reply!.Opcode);
        Assert.Equal(0xFFF0C101u, reply.Value);
        Assert.True(reply.Succeeded);
        Assert.Equal(0, reply.Body.Length);
    }

    [Fact]
    public void Emulator_read_reg_magic_reply_matches_the_real_chip()
    {
        Assert.Equal(Hex("01 0a 0200 01c1f0ff 00 00"), LoaderReply.Ok(Opcode.ReadReg, 0xFFF0C101));
    }

    [Fact]
    public void Stub_spi_unlock_failure_reads_the_same_on_both_sides()
    {
        // 0xC5 was missing on the emulator's side before both shared Espwire.Protocol.Rom.
        var wire = LoaderReply.Fail(Opcode.SpiAttach, DeviceErrorCode.StubSpiUnlockFailed);
        Assert.Equal(Hex("01 0d 0200 00000000 01 c5"), wire);
        Assert.True(ResponsePacket.TryParse(wire, out var reply));
        Assert.False(reply!.Succeeded);
        Assert.Equal(DeviceErrorCode.StubSpiUnlockFailed, reply.Error);
        Assert.Equal("SPI unlock failed (stub)", DeviceErrorCodeText.Describe(reply.Error));
    }

    [Fact]
    public void Checksum_seed_is_0xEF_over_the_block_only()
    {
        Assert.Equal(0xEF, Checksum.Seed);
        Assert.Equal(0xEF ^ 0x01 ^ 0x02, Checksum.Compute([0x01, 0x02]));
    }

    [Fact]
    public void Rom_sync_reply_is_byte_exact()
    {
        Assert.Equal(Hex("01 08 0200 07071220 00 00"), LoaderReply.Ok(Opcode.Sync, 0x20120707));
    }

    [Fact]
    public void Flash_data_carries_length_sequence_and_checksum()
    {
        var packet = CommandPacket.Encode(new FlashDataCommand(5, new byte[] { 0x01, 0x02, 0xC0, 0xDB }));
        // checksum = 0xEF ^ 01 ^ 02 ^ C0 ^ DB
        Assert.Equal(Hex("00 03 1400 f7000000 04000000 05000000 00000000 00000000 0102c0db"), packet);
        Assert.Equal(0xF7u, new FlashDataCommand(5, new byte[] { 0x01, 0x02, 0xC0, 0xDB }).Checksum);
    }

    [Fact]
    public void Failed_reply_exposes_the_error_code()
    {
        Assert.True(ResponsePacket.TryParse(Hex("01 03 0200 00000000 01 07"), out var reply));
        Assert.False(reply!.Succeeded);
        Assert.Equal(DeviceErrorCode.BadChecksum, reply.Error);
    }

    [Theory]
    [InlineData("00 0a 0200 01c1f0ff 00 00")] // a request, not a reply
    [InlineData("01 0a 0400 01c1f0ff 00 00")] // size disagrees with the frame
    [InlineData("01 0a 02")]                 // shorter than a header
    public void Malformed_replies_are_rejected(string hex)
    {
        Assert.False(ResponsePacket.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Mem_end_with_entry_asks_to_jump()
    {
        Assert.Equal(Hex("00 06 0800 00000000 00000000 04801040"), CommandPacket.Encode(new MemEndCommand(0x40108004)));
        Assert.Equal(Hex("00 06 0800 00000000 01000000 00000000"), CommandPacket.Encode(new MemEndCommand(0)));
    }

    [Fact]
    public void Checksum_seed_and_xor()
    {
        Assert.Equal(0xEF, Checksum.Compute([]));
        Assert.Equal(0xEC, Checksum.Compute([0x01, 0x02]));
    }
}
