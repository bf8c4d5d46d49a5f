using Espwire.Protocol.Rom;
using System.Buffers.Binary;
using Espwire.Emulator.Bootloader;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Protocol;
using Espwire.Flasher.Tests.Support;

namespace Espwire.Flasher.Tests;

/// <summary>The emulated ROM facing bad input: wrong checksums, garbage, over-long frames, wrong order.</summary>
public class EmulatorInputTests
{
    [Fact]
    public async Task A_block_with_a_wrong_checksum_is_refused_and_not_written()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        await connection.ExecuteAsync(new FlashBeginCommand(0x1000, 4, 0x400, 0));
        var packet = CommandPacket.Encode(new FlashDataCommand(0, new byte[0x400]));
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(4), 0x12); // the zeros' checksum is 0xEF
        await connection.SendPacketAsync(packet);
        var e = await Assert.ThrowsAsync<DeviceErrorException>(() => connection.ReadReplyAsync(new FlashDataCommand(0, new byte[0x400])));
        Assert.Equal(DeviceErrorCode.BadChecksum, e.Error);
        Assert.All(module.Bootloader.Flash.Read(0, 0x400), b => Assert.Equal(0xFF, b));
        Assert.Equal(1, module.Bootloader.Stats.BadChecksums);
    }

    [Fact]
    public async Task Garbage_and_over_long_frames_are_dropped_and_the_rom_still_answers()
    {
        await using var module = new EmulatedBootloader();
        var stream = module.Link.Stream;
        var random = new Random(3);
        var garbage = new byte[5000];
        random.NextBytes(garbage);
        await stream.WriteAsync(garbage);
        await stream.WriteAsync(Slip.Encode(new byte[100_000]));   // far over the frame limit
        await stream.WriteAsync(Slip.Encode([0x00, 0x0A, 0x09]));   // a request shorter than its header
        var connection = await module.ConnectAsync();
        Assert.Equal(Esp8266.ChipMagic, await ChipDetector.ReadRegAsync(connection, Esp8266.ChipDetectMagicAddress));
    }

    [Fact]
    public async Task Flash_data_without_flash_begin_fails_to_act()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        var e = await Assert.ThrowsAsync<DeviceErrorException>(() => connection.ExecuteAsync(new FlashDataCommand(0, new byte[0x400])));
        Assert.Equal(DeviceErrorCode.FailedToAct, e.Error);
    }

    [Fact]
    public async Task Flash_begin_past_the_end_of_the_chip_fails()
    {
        await using var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 1 << 20 });
        var connection = await module.ConnectAsync();
        var e = await Assert.ThrowsAsync<DeviceErrorException>(() => connection.ExecuteAsync(new FlashBeginCommand(0x2000, 8, 0x400, 0xFF000)));
        Assert.Equal(DeviceErrorCode.FailedToAct, e.Error);
    }

    [Fact]
    public async Task Stub_only_commands_fail_on_the_rom_with_a_hint_to_use_a_stub()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        var e = await Assert.ThrowsAsync<DeviceErrorException>(() => connection.ExecuteAsync(new SpiFlashMd5Command(0, 0x1000)));
        Assert.Equal(DeviceErrorCode.InvalidMessage, e.Error);
        Assert.Contains("stub", e.Hint, StringComparison.Ordinal);
        Assert.Equal(1, module.Bootloader.Stats.UnknownCommands);
    }

    [Fact]
    public async Task Mem_end_without_an_upload_starts_no_stub()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        await connection.ExecuteAsync(new MemEndCommand(0x4010E004));
        Assert.Null(await connection.ReadFrameAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(LoaderMode.Rom, module.Bootloader.Mode);
    }

    [Fact]
    public async Task The_flash_file_keeps_what_was_written()
    {
        var path = Path.Combine(Path.GetTempPath(), $"espwire-flash-{Guid.NewGuid():N}.bin");
        try
        {
            await using (var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 1 << 20, FlashFile = path }))
            {
                var connection = await module.ConnectAsync();
                await new Flashing.Esp8266Flasher(connection).WriteAsync(0x3000, new byte[] { 1, 2, 3, 4 });
            }
            using var reopened = new VirtualFlash(1 << 20, path);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, reopened.Read(0x3000, 4));
            Assert.Equal(1 << 20, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
