using System.Net;
using System.Security.Cryptography;
using Espwire.Emulator;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Hosting;
using Espwire.Flasher.Reset;
using Espwire.Flasher.Session;
using Espwire.Flasher.Tests.Support;
using Espwire.Testing;

namespace Espwire.Flasher.Tests;

/// <summary>The flasher against the real emulator hosting: socket:// and a pseudo-terminal, ROM and stub, 1 MB.</summary>
public sealed class HostedEmulatorTests : IDisposable
{
    private readonly string _stubFile = Path.Combine(Path.GetTempPath(), $"espwire-stub-{Guid.NewGuid():N}.json");

    public HostedEmulatorTests() => File.WriteAllText(_stubFile, TestStub.Json());

    public void Dispose() => File.Delete(_stubFile);

    private static Task<EmulatorHost> StartAsync(bool pty) => EmulatorHost.StartAsync(new EmulatorHostOptions
    {
        Module = new ModuleOptions
        {
            Mode = BootMode.Bootloader,
            TimeScale = 0,
            Bootloader = new BootloaderOptions { FlashSize = 2 << 20 },
            BootloaderFactory = RomBootloader.Factory,
        },
        Listen = pty ? null : new IPEndPoint(IPAddress.Loopback, 0),
        Pty = pty,
    });

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Flashes_1MB_and_the_emulator_flash_equals_the_image(bool pty, bool stub)
    {
        await using var host = await StartAsync(pty);
        var module = host.Modules[0];
        var flash = VirtualFlash.For(module.Module.Options.Bootloader);
        var options = new FlashSessionOptions
        {
            Before = BeforeAction.NoReset,
            After = AfterAction.NoReset,
            StubFile = stub ? _stubFile : null,
            NoStub = !stub,
            TimeoutScale = 5 * TestTimeouts.Scale,
        };
        var log = new List<string>();
        await using var session = await FlashSession.OpenAsync(module.PortString, options, new SyncProgress<string>(log.Add));
        Assert.Contains("Chip is ESP8266EX", log);
        Assert.Contains(log, l => l.StartsWith("MAC: ", StringComparison.Ordinal));
        Assert.Equal(stub, session.Stub is not null);
        Assert.Equal("2MB", session.DetectedFlashSize!.Name);

        var image = TestStub.Image(1 << 20, 7);
        var result = await session.Flasher.WriteAsync(0, image);
        Assert.Equal(image, flash.Read(0, image.Length));
        Assert.Equal(stub, result.CompressedSize is not null);
        if (stub)
        {
            await session.Flasher.VerifyAsync(0, image);
            Assert.Equal(MD5.HashData(image), await session.Flasher.Md5Async(0, (uint)image.Length));
            Assert.Equal(image, await session.Flasher.ReadAsync(0, (uint)image.Length));
        }
    }

    [Fact]
    public async Task Default_reset_on_a_pty_without_modem_lines_falls_back_to_no_reset()
    {
        await using var host = await StartAsync(pty: true);
        var log = new List<string>();
        var options = new FlashSessionOptions { Before = BeforeAction.DefaultReset, After = AfterAction.HardReset, NoStub = true, TimeoutScale = 5 * TestTimeouts.Scale };
        await using var session = await FlashSession.OpenAsync(host.Modules[0].PortString, options, new SyncProgress<string>(log.Add));
        Assert.Contains(log, l => l.StartsWith("No reset:", StringComparison.Ordinal));
        Assert.Contains("Chip is ESP8266EX", log);
        await session.FinishAsync(new SyncProgress<string>(log.Add));
        Assert.Contains(log, l => l.Contains("by hand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_user_code_boots_the_application_and_a_second_session_finds_the_stub_running()
    {
        await using var host = await StartAsync(pty: false);
        var module = host.Modules[0].Module;
        var options = new FlashSessionOptions { Before = BeforeAction.NoReset, After = AfterAction.HardReset, StubFile = _stubFile, TimeoutScale = 5 * TestTimeouts.Scale };
        await using (var first = await FlashSession.OpenAsync(host.Modules[0].PortString, options))
        {
            Assert.NotNull(first.Stub);
            var log = new List<string>();
            await first.FinishAsync(new SyncProgress<string>(log.Add));
            Assert.Contains(log, l => l.Contains("no RTS pin", StringComparison.Ordinal));
        }
        var secondLog = new List<string>();
        await using (var second = await FlashSession.OpenAsync(host.Modules[0].PortString, options, new SyncProgress<string>(secondLog.Add)))
        {
            Assert.True(second.IsStub);
            Assert.Null(second.Stub);
            Assert.Contains("Stub is already running. No upload is necessary.", secondLog);
            var booted = new TaskCompletionSource<BootMode>(TaskCreationOptions.RunContinuationsAsynchronously);
            module.Booted += mode => booted.TrySetResult(mode);
            await second.Flasher.RunUserCodeAsync();
            Assert.NotEqual(BootMode.Bootloader, await booted.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }
}
