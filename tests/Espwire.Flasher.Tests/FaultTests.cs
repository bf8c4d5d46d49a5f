using Espwire.Protocol.Rom;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Protocol;
using Espwire.Flasher.Tests.Support;

namespace Espwire.Flasher.Tests;

/// <summary>Scripted devices: a lost reply, a damaged block, a bad checksum reply, a device that goes silent.</summary>
public class FaultTests
{
    private static Opcode Op(byte[] frame) => (Opcode)frame[1];

    [Fact]
    public async Task A_lost_reply_times_out_with_a_typed_error_and_a_hint()
    {
        await using var device = new ScriptedDevice((_, _) => []);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = 0.1 };
        var e = await Assert.ThrowsAsync<NoReplyException>(() => connection.ExecuteAsync(new ReadRegCommand(Esp8266.ChipDetectMagicAddress)));
        Assert.Equal(Opcode.ReadReg, e.Command);
        Assert.Contains("TX->RX", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_reply_is_retried_and_the_second_answer_is_used()
    {
        await using var device = new ScriptedDevice((frame, i) => i == 0 ? [] : [ScriptedDevice.Reply(Op(frame), 0xFFF0C101)]);
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = 0.1 };
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
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = 0.05 };
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
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = 1 };
        var reply = await connection.ExecuteAsync(new ReadRegCommand(0x3FF00050));
        Assert.Equal(0x12345678u, reply.Value);
        Assert.Equal(2, connection.SkippedFrames);
    }

    [Fact]
    public async Task A_bad_checksum_reply_becomes_a_device_error_naming_the_command()
    {
        await using var device = new ScriptedDevice((frame, _) => [ScriptedDevice.Reply(Op(frame), status: 1, error: 0x07)]);
        var connection = new BootloaderConnection(device.Link);
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
        var connection = new BootloaderConnection(device.Link);
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
        var connection = new BootloaderConnection(device.Link) { TimeoutScale = 0.05 };
        var flasher = new Esp8266Flasher(connection, new FlasherOptions { BlockAttempts = 2 });
        var e = await Assert.ThrowsAsync<NoReplyException>(() => flasher.WriteAsync(0, new byte[10 * 0x400]));
        Assert.Equal(Opcode.FlashData, e.Command);
        Assert.Equal(5, dataFrames); // blocks 0-2 answered, block 3 tried twice
    }

    [Fact]
    public async Task A_line_that_echoes_the_requests_is_recognised_as_an_application_not_the_rom()
    {
        await using var device = new ScriptedDevice((frame, _) => [frame]);
        var e = await Assert.ThrowsAsync<ConnectException>(() => BootloaderConnector.ConnectAsync(device.Link, new ConnectOptions { Attempts = 1, SyncsPerAttempt = 2 }));
        Assert.Contains("echoed", e.Message, StringComparison.Ordinal);
        Assert.Contains("AT firmware", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_line_fails_to_connect_with_boot_mode_advice()
    {
        await using var device = new ScriptedDevice((_, i) => i == 0 ? [ScriptedDevice.Raw("ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n"u8.ToArray())] : []);
        var e = await Assert.ThrowsAsync<ConnectException>(() => BootloaderConnector.ConnectAsync(device.Link, new ConnectOptions { Attempts = 2, SyncsPerAttempt = 2 }));
        Assert.Contains("booted from flash", e.Hint, StringComparison.Ordinal);
        Assert.Contains("boot mode:(3,6)", e.Message, StringComparison.Ordinal);
    }
}
