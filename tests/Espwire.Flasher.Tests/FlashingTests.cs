using System.Security.Cryptography;
using Espwire.Emulator.Bootloader;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Flashing;
using Espwire.Flasher.Stub;
using Espwire.Flasher.Tests.Support;
using Espwire.Testing;

namespace Espwire.Flasher.Tests;

public class FlashingTests
{
    [Fact]
    public async Task Rom_mode_writes_an_image_that_equals_the_flash()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        var flasher = new Esp8266Flasher(connection);
        await flasher.AttachAsync();
        var image = TestStub.Image(200_000, 1);
        var progress = new List<FlashProgress>();
        var result = await flasher.WriteAsync(0x1000, image, new SyncProgress<FlashProgress>(progress.Add));
        Assert.Null(result.CompressedSize);
        Assert.Equal(image.Length, result.Size);
        Assert.Equal(image, module.Bootloader.Flash.Read(0x1000, image.Length));
        Assert.Equal(image.Length, progress[^1].Done);
        Assert.Equal(0xFF, module.Bootloader.Flash.Read(0x1000 + image.Length, 1)[0]);
        Assert.Equal(LoaderMode.Rom, module.Bootloader.Mode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Simulated_flash_timing_keeps_every_write_correct(bool stub)
    {
        await using var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 1 << 20, SimulateFlashTiming = true });
        var connection = await module.ConnectAsync();
        if (stub) await StubLoader.RunAsync(connection, TestStub.Load());
        var flasher = new Esp8266Flasher(connection);
        await flasher.AttachAsync();
        var image = TestStub.Image(20_000, 12);
        await flasher.WriteAsync(0x10000, image);
        Assert.Equal(image, module.Bootloader.Flash.Read(0x10000, image.Length));
        if (stub) await flasher.VerifyAsync(0x10000, image);
    }

    [Fact]
    public async Task Rom_mode_cannot_hash_or_read_and_says_so()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        var flasher = new Esp8266Flasher(connection);
        var e = await Assert.ThrowsAsync<StubRequiredException>(() => flasher.ReadAsync(0, 16));
        Assert.Contains("--stub", e.Hint, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StubRequiredException>(() => flasher.Md5Async(0, 16));
    }

    [Fact]
    public async Task Stub_mode_uploads_the_stub_writes_compressed_verifies_and_reads_back_1MB()
    {
        await using var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 4 << 20 });
        var connection = await module.ConnectAsync();
        await StubLoader.RunAsync(connection, TestStub.Load());
        Assert.True(connection.IsStub);
        Assert.Equal(LoaderMode.Stub, module.Bootloader.Mode);

        var flasher = new Esp8266Flasher(connection);
        var image = TestStub.Image(1 << 20, 2);
        var result = await flasher.WriteAsync(0, image);
        Assert.NotNull(result.CompressedSize);
        Assert.True(result.CompressedSize < image.Length);
        Assert.Equal(image, module.Bootloader.Flash.Read(0, image.Length));
        await flasher.VerifyAsync(0, image);
        Assert.Equal(MD5.HashData(image), await flasher.Md5Async(0, (uint)image.Length));
        var back = await flasher.ReadAsync(0, (uint)image.Length);
        Assert.Equal(image, back);
    }

    [Fact]
    public async Task Stub_verify_detects_a_flash_that_differs()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        await StubLoader.RunAsync(connection, TestStub.Load());
        var flasher = new Esp8266Flasher(connection);
        var image = TestStub.Image(8192, 3);
        await flasher.WriteAsync(0x2000, image);
        module.Bootloader.Flash.Program(0x2000 + 100, [0x00]); // a bit flipped after writing
        await Assert.ThrowsAsync<VerifyException>(() => flasher.VerifyAsync(0x2000, image));
    }

    [Fact]
    public async Task Stub_erases_regions_and_the_chip()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        await StubLoader.RunAsync(connection, TestStub.Load());
        var flasher = new Esp8266Flasher(connection);
        var flash = module.Bootloader.Flash;
        flash.Program(0, new byte[0x4000]);
        await flasher.EraseRegionAsync(0x1000, 0x1000);
        Assert.Equal(0x00, flash.Read(0x0FFF, 1)[0]);
        Assert.All(flash.Read(0x1000, 0x1000), b => Assert.Equal(0xFF, b));
        Assert.Equal(0x00, flash.Read(0x2000, 1)[0]);
        await flasher.EraseAllAsync(flash.Size);
        Assert.All(flash.Read(0, 0x4000), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public async Task Stub_changes_baud_rate_on_both_ends()
    {
        await using var module = new EmulatedBootloader();
        var connection = await module.ConnectAsync();
        await StubLoader.RunAsync(connection, TestStub.Load());
        await new Esp8266Flasher(connection).ChangeBaudRateAsync(921600);
        Assert.Equal(921600, module.Link.BaudRate);
        // The stub answers CHANGE_BAUDRATE at the old rate and only then switches, so the host can see the reply
        // before the device side has switched (a full run caught it at 115200 once).
        await Eventually.UntilAsync(() => module.Uart.BaudRate == 921600, "the device's UART at 921600");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Injected_errors_are_retried_and_the_flash_still_equals_the_image(bool stub)
    {
        await using var module = new EmulatedBootloader(new BootloaderOptions { FlashSize = 1 << 20, InjectErrorRate = 0.1, InjectErrorSeed = 42 });
        var connection = await module.ConnectAsync();
        // Lost replies cost a full timeout each (3 s); 0.6 s is plenty for an in-memory device.
        connection.TimeoutScale = 0.2 * TestTimeouts.Scale;
        if (stub) await StubLoader.RunAsync(connection, TestStub.Load());
        var flasher = new Esp8266Flasher(connection, new FlasherOptions { BlockAttempts = 8 });
        await flasher.AttachAsync();
        var image = TestStub.Image(stub ? 512 * 1024 : 96 * 1024, 4);
        var result = await flasher.WriteAsync(0, image);
        Assert.Equal(image, module.Bootloader.Flash.Read(0, image.Length));
        var stats = module.Bootloader.Stats;
        Assert.True(stats.DroppedReplies + stats.TruncatedReplies + stats.CorruptedBlocks > 0);
        Assert.True(result.Retries > 0);
        if (stub) await flasher.VerifyAsync(0, image);
    }
}

/// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
