using Espwire.Flasher.Errors;
using Espwire.Flasher.Restore;
using Espwire.Flasher.Stub;

namespace Espwire.Flasher.Tests;

public sealed class RestorePlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-at-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Touch(string relative)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0xE9]);
    }

    [Fact]
    public void Four_megabyte_plan_has_the_release_addresses()
    {
        var plan = AtRestorePlan.ForFlashSize(4 << 20);
        Assert.Equal("4MB-c1", plan.HeaderSize.Name);
        Assert.Equal(new uint[] { 0x0, 0x1000, 0x3FC000, 0xFE000, 0x3FE000 }, plan.Entries.Select(e => e.Address));
        Assert.Equal("user1.2048.new.5.bin", plan.Entries[1].FilePattern);
    }

    [Fact]
    public void One_megabyte_plan_uses_the_512k_map()
    {
        var plan = AtRestorePlan.ForFlashSize(1 << 20);
        Assert.Equal(new uint[] { 0x0, 0x1000, 0xFC000, 0x7E000, 0xFE000 }, plan.Entries.Select(e => e.Address));
        Assert.Equal("user1.1024.new.2.bin", plan.Entries[1].FilePattern);
    }

    [Fact]
    public void Half_megabyte_flash_is_refused_with_advice()
    {
        var e = Assert.Throws<FlasherException>(() => AtRestorePlan.ForFlashSize(512 * 1024));
        Assert.Contains("1 MB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolves_files_from_an_unpacked_release()
    {
        Touch("bin/boot_v1.6.bin");
        Touch("bin/boot_v1.7.bin");
        Touch("bin/at/1024+1024/user1.2048.new.5.bin");
        Touch("bin/esp_init_data_default_v08.bin");
        Touch("bin/blank.bin");
        var files = AtRestorePlan.Flash4MBc1.Resolve(_dir);
        Assert.Equal(5, files.Count);
        Assert.EndsWith("boot_v1.7.bin", files[0].Path, StringComparison.Ordinal);
        Assert.EndsWith("user1.2048.new.5.bin", files[1].Path, StringComparison.Ordinal);
        Assert.Equal(files[3].Path, files[4].Path);
    }

    [Fact]
    public void Missing_files_are_all_named()
    {
        Touch("bin/blank.bin");
        var e = Assert.Throws<FlasherException>(() => AtRestorePlan.Flash1MB.Resolve(_dir));
        Assert.Contains("boot_v*.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("user1.1024.new.2.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("esp_init_data_default", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stub_locator_finds_an_esptool_stub_in_an_install_tree()
    {
        var stubPath = Path.Combine(_dir, "esptool", "targets", "stub_flasher", "1", "esp8266.json");
        Directory.CreateDirectory(Path.GetDirectoryName(stubPath)!);
        File.WriteAllText(stubPath, Support.TestStub.Json());
        Touch("esptool/targets/stub_flasher/1/esp32.json");
        Assert.Equal(stubPath, StubLocator.Find([Path.Combine(_dir, "missing"), _dir])?.Path);
        Assert.Null(StubLocator.Find([Path.Combine(_dir, "missing")]));
        Assert.Equal(0x4010E004u, FlasherStub.Load(stubPath).Entry);
    }

    [Fact]
    public void A_broken_stub_file_is_a_clear_error()
    {
        var path = Path.Combine(_dir, "stub.json");
        File.WriteAllText(path, "{\"entry\": 1}");
        var e = Assert.Throws<FlasherException>(() => FlasherStub.Load(path));
        Assert.Contains("not an esptool stub", e.Message, StringComparison.Ordinal);
    }
}
