using Espwire.Protocol.Rom;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Protocol;
using Espwire.Flasher.Tests.Support;
using Espwire.Testing;

namespace Espwire.Flasher.Tests;

/// <summary>Scripted devices: a lost reply, a damaged block, a bad checksum reply, a device that goes silent.</summary>
public class FaultTests
{
    /// <summary>
    /// The timeout scale of these tests: every command timeout is its default (3 s) times 0.5, times the tests' one
    /// knob (<see cref="TestTimeouts.Scale"/>). Answered commands must beat it even on a loaded machine, so counts of
    /// retries depend only on what the script drops; only replies the script withholds wait it out.
    /// </summary>
    private static readonly double Timeouts = 0.5 * TestTimeouts.Scale;

    private static Opcode Op(byte[] frame) => (Opcode)frame[1];

    private static bool Is(byte[] frame, Opcode op) => frame.Length >= 8 && frame[0] == 0x00 && (Opcode)frame[1] == op;

    [Fact]
    public async Task A_lost_reply_times_out_with_a_typed_error_and_a_hint()
    {
        await using var device = new ScriptedDevice((_, _) => []);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var e = await Assert.ThrowsAsync<NoReplyException>(() => connection.ExecuteAsync(new ReadRegCommand(Esp8266.ChipDetectMagicAddress)));
        Assert.Equal(Opcode.ReadReg, e.Command);
        Assert.Contains("TX->RX", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_reply_is_retried_and_the_second_answer_is_used()
    {
        await using var device = new ScriptedDevice((frame, i) => i == 0 ? [] : [ScriptedDevice.Reply(Op(frame), 0xFFF0C101)]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var retries = 0;
        var reply = await connection.ExecuteWithRetryAsync(new ReadRegCommand(Esp8266.ChipDetectMagicAddress), 3, (_, _) => retries++);
        Assert.Equal(0xFFF0C101u, reply.Value);
        Assert.Equal(1, retries);
        // The request, a READ_REG that resynchronises (drains any late reply), the request again.
        Assert.Equal(3, device.Received.Count);
        Assert.All(device.Received, f => Assert.Equal(Opcode.ReadReg, Op(f)));
    }

    [Fact]
    public async Task A_late_reply_is_not_taken_for_the_retry()
    {
        // Block 1's first reply comes late (after the host gave up); the retry fails with a checksum error.
        // Matched naively, the late OK would acknowledge the retry and the error would hit block 2.
        var block1 = 0;
        byte[]? lateReply = null;
        await using var device = new ScriptedDevice((frame, _) =>
        {
            var op = Op(frame);
            if (op == Opcode.FlashData && BitConverter.ToUInt32(frame, 12) == 1)
            {
                block1++;
                if (block1 == 1) { lateReply = ScriptedDevice.Reply(Opcode.FlashData); return []; }
                if (block1 == 2) return [ScriptedDevice.Reply(Opcode.FlashData, status: 1, error: 0x07)];
            }
            if (op == Opcode.ReadReg && lateReply is { } late)
            {
                lateReply = null;
                return [late, ScriptedDevice.Reply(op, 0xFFF0C101)];
            }
            return [ScriptedDevice.Reply(op, op == Opcode.ReadReg ? 0xFFF0C101 : 0)];
        });
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var result = await new Esp8266Flasher(connection).WriteAsync(0, new byte[3 * 0x400]);
        var sequences = device.Received.Where(f => Op(f) == Opcode.FlashData).Select(f => BitConverter.ToUInt32(f, 12)).ToList();
        Assert.Equal(new uint[] { 0, 1, 1, 1, 2 }, sequences);
        Assert.Equal(2, result.Retries);
    }

    [Fact]
    public async Task Stale_and_foreign_frames_are_skipped_until_the_opcode_matches()
    {
        await using var device = new ScriptedDevice((frame, _) =>
        [
            ScriptedDevice.Reply(Opcode.Sync, 0x20120707),      // a leftover sync reply
            [0x45, 0x52, 0x52],                                   // noise inside a frame
            ScriptedDevice.Reply(Op(frame), 0x12345678),
        ]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var reply = await connection.ExecuteAsync(new ReadRegCommand(0x3FF00050));
        Assert.Equal(0x12345678u, reply.Value);
        Assert.Equal(2, connection.SkippedFrames);
    }

    [Fact]
    public async Task A_bad_checksum_reply_becomes_a_device_error_naming_the_command()
    {
        await using var device = new ScriptedDevice((frame, _) => [ScriptedDevice.Reply(Op(frame), status: 1, error: 0x07)]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var e = await Assert.ThrowsAsync<DeviceErrorException>(() => connection.ExecuteAsync(new FlashDataCommand(0, new byte[0x400])));
        Assert.Equal(DeviceErrorCode.BadChecksum, e.Error);
        Assert.Contains("FlashData", e.Message, StringComparison.Ordinal);
        Assert.Contains("--baud", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupted_block_is_sent_again()
    {
        var dataFrames = 0;
        await using var device = new ScriptedDevice((frame, _) =>
        {
            if (Op(frame) == Opcode.FlashData && ++dataFrames == 2)
                return [ScriptedDevice.Reply(Opcode.FlashData, status: 1, error: 0x07)];
            return [ScriptedDevice.Reply(Op(frame))];
        });
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var flasher = new Esp8266Flasher(connection);
        var result = await flasher.WriteAsync(0, new byte[3 * 0x400]);
        Assert.Equal(1, result.Retries);
        var sequences = device.Received.Where(f => Op(f) == Opcode.FlashData).Select(f => BitConverter.ToUInt32(f, 8 + 4)).ToList();
        Assert.Equal(new uint[] { 0, 1, 1, 2 }, sequences);
    }

    [Fact]
    public async Task A_device_that_stops_answering_mid_write_fails_the_write()
    {
        var dataFrames = 0;
        await using var device = new ScriptedDevice((frame, _) =>
            Op(frame) == Opcode.FlashData && ++dataFrames > 3 ? [] : [ScriptedDevice.Reply(Op(frame))]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var flasher = new Esp8266Flasher(connection, new FlasherOptions { BlockAttempts = 2 });
        var e = await Assert.ThrowsAsync<NoReplyException>(() => flasher.WriteAsync(0, new byte[10 * 0x400]));
        Assert.Equal(Opcode.FlashData, e.Command);
        Assert.Equal(5, dataFrames); // blocks 0-2 answered, block 3 tried twice
    }

    [Fact]
    public async Task A_line_that_echoes_the_requests_is_recognised_as_an_application_not_the_rom()
    {
        await using var device = new ScriptedDevice((frame, _) => [frame]);
        var e = await Assert.ThrowsAsync<ConnectException>(() => BootloaderConnector.ConnectAsync(device.Link, new ConnectOptions { Attempts = 1, SyncsPerAttempt = 2, TimeoutScale = Timeouts }));
        Assert.Contains("echoed", e.Message, StringComparison.Ordinal);
        Assert.Contains("AT firmware", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_line_fails_to_connect_with_boot_mode_advice()
    {
        await using var device = new ScriptedDevice((_, i) => i == 0 ? [ScriptedDevice.Raw("ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n"u8.ToArray())] : []);
        var e = await Assert.ThrowsAsync<ConnectException>(() => BootloaderConnector.ConnectAsync(device.Link, new ConnectOptions { Attempts = 2, SyncsPerAttempt = 2, TimeoutScale = Timeouts }));
        Assert.Contains("booted from flash", e.Hint, StringComparison.Ordinal);
        Assert.Contains("boot mode:(3,6)", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A connection to a scripted device that answers SYNC with 0, as a running stub does.</summary>
    private static async Task<BootloaderConnection> StubConnectionAsync(ScriptedDevice device)
    {
        // SYNC and its drain wait only briefly (the drain 100 ms, scaled): at half scale one answered SYNC lost the race on two
        // loaded cores. The sync gets the generous scale; the commands under test go back to the tests' scale.
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = 10 * TestTimeouts.Scale };
        Assert.True(await BootloaderConnector.TrySyncAsync(connection, 1));
        Assert.True(connection.IsStub);
        connection.TimeoutScale = Timeouts;
        return connection;
    }

    private static byte[] Flip(byte[] packet, int index, byte mask)
    {
        var copy = packet.ToArray();
        copy[index] ^= mask;
        return copy;
    }

    /// <summary>A stub's READ_FLASH: the reply, then <paramref name="packets"/> as data frames, then <paramref name="digest"/>.</summary>
    private static ScriptedDevice ReadFlashDevice(IEnumerable<byte[]> packets, byte[] digest) => new((frame, _) =>
        Is(frame, Opcode.ReadFlash) ? [ScriptedDevice.Reply(Opcode.ReadFlash), .. packets, digest]
        : frame.Length == 4 ? [] // the host's acknowledgements
        : [ScriptedDevice.Reply(Op(frame), Op(frame) == Opcode.ReadReg ? Esp8266.ChipMagic : 0)]);

    [Fact]
    public async Task A_read_flash_packet_cut_short_mid_stream_is_a_clear_error()
    {
        var data = TestStub.Image(0x2000, 3);
        await using var device = ReadFlashDevice([data[..0x800], data[0x800..]], System.Security.Cryptography.MD5.HashData(data));
        var connection = await StubConnectionAsync(device);
        var e = await Assert.ThrowsAsync<FlasherException>(() => new Esp8266Flasher(connection).ReadAsync(0, 0x2000));
        Assert.Contains("READ_FLASH sent a 2048-byte packet at byte 0 of 8192", e.Message, StringComparison.Ordinal);
        Assert.Contains("--baud", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bit_flipped_in_read_flash_data_fails_the_closing_md5()
    {
        var data = TestStub.Image(0x2000, 5);
        var damaged = Flip(data, 0x1234, 0x10);
        await using var device = ReadFlashDevice([damaged[..0x1000], damaged[0x1000..]], System.Security.Cryptography.MD5.HashData(data));
        var connection = await StubConnectionAsync(device);
        var e = await Assert.ThrowsAsync<VerifyException>(() => new Esp8266Flasher(connection).ReadAsync(0, 0x2000));
        Assert.Contains("Verification failed at 0x00000000 (8192 bytes)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_flash_digest_of_the_wrong_length_is_not_taken_as_a_match()
    {
        var data = TestStub.Image(0x1000, 6);
        await using var device = ReadFlashDevice([data], System.Security.Cryptography.MD5.HashData(data)[..15]);
        var connection = await StubConnectionAsync(device);
        await Assert.ThrowsAsync<VerifyException>(() => new Esp8266Flasher(connection).ReadAsync(0, 0x1000));
    }

    [Fact]
    public async Task A_flash_end_reply_cut_short_is_no_reply_not_a_success()
    {
        await using var device = new ScriptedDevice((frame, _) => [ScriptedDevice.Reply(Op(frame))[..^1]]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var e = await Assert.ThrowsAsync<NoReplyException>(() => connection.ExecuteAsync(new FlashEndCommand(Reboot: false)));
        Assert.Equal(Opcode.FlashEnd, e.Command);
    }

    [Fact]
    public async Task A_flash_end_reply_with_its_status_bit_flipped_is_a_device_error()
    {
        await using var device = new ScriptedDevice((frame, _) => [Flip(ScriptedDevice.Reply(Op(frame)), 8, 0x01)]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var e = await Assert.ThrowsAsync<DeviceErrorException>(() => connection.ExecuteAsync(new FlashEndCommand(Reboot: false)));
        Assert.Equal(Opcode.FlashEnd, e.Command);
    }

    [Theory]
    [InlineData(0, 0x01)] // direction 01 -> 00: a request, not a reply
    [InlineData(1, 0x01)] // opcode 0A -> 0B: an answer to another command
    [InlineData(2, 0x04)] // size 2 -> 6: the frame is shorter than it says
    public async Task A_bit_flipped_in_a_reply_header_is_skipped_and_the_retry_answer_is_used(int index, byte mask)
    {
        await using var device = new ScriptedDevice((frame, i) =>
            [i == 0 ? Flip(ScriptedDevice.Reply(Op(frame), Esp8266.ChipMagic), index, mask) : ScriptedDevice.Reply(Op(frame), Esp8266.ChipMagic)]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = Timeouts };
        var retries = 0;
        var reply = await connection.ExecuteWithRetryAsync(new ReadRegCommand(Esp8266.ChipDetectMagicAddress), 3, (_, _) => retries++);
        Assert.Equal(Esp8266.ChipMagic, reply.Value);
        Assert.Equal(1, retries);
    }

    [Fact]
    public async Task A_bit_flipped_in_an_md5_reply_fails_verification()
    {
        var data = TestStub.Image(0x1000, 7);
        var digest = System.Security.Cryptography.MD5.HashData(data);
        await using var device = new ScriptedDevice((frame, _) =>
            [Is(frame, Opcode.SpiFlashMd5) ? ScriptedDevice.Reply(Opcode.SpiFlashMd5, body: Flip(digest, 5, 0x80)) : ScriptedDevice.Reply(Op(frame))]);
        var connection = await StubConnectionAsync(device);
        await Assert.ThrowsAsync<VerifyException>(() => new Esp8266Flasher(connection).VerifyAsync(0, data));
    }
}
