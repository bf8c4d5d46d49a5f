using Espwire.Ports;

namespace Espwire.Ports.Tests;

public sealed class PortTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("espwire-sysfs-").FullName;

    [Fact]
    public void Sysfs_tree_gives_usb_ids_and_chip_names_and_skips_placeholders()
    {
        // A CP2102 on ttyUSB0, a CH340 on ttyUSB1, an 8250 placeholder ttyS0, and a virtual console tty1.
        AddUsbTty("ttyUSB0", "1-1", "10c4", "ea60", "Silicon Labs", "CP2102 USB to UART Bridge Controller", "0001", "cp210x");
        AddUsbTty("ttyUSB1", "1-2", "1a86", "7523", null, "USB Serial", null, "ch341-uart");
        var platform = Dir("devices/platform/serial8250/tty/ttyS0");
        Dir("bus/platform");
        Link(Path.Combine(platform, "subsystem"), Path.Combine(_root, "bus/platform"));
        Link(Path.Combine(_root, "class/tty/ttyS0"), platform);
        Link(Path.Combine(platform, "device"), Path.Combine(_root, "devices/platform/serial8250"));
        Link(Path.Combine(_root, "devices/platform/serial8250/subsystem"), Path.Combine(_root, "bus/platform"));
        Dir("devices/virtual/tty/tty1");
        Link(Path.Combine(_root, "class/tty/tty1"), Path.Combine(_root, "devices/virtual/tty/tty1"));

        var ports = SerialPortList.FromSysfs(_root, "/dev");

        Assert.Equal(["/dev/ttyUSB0", "/dev/ttyUSB1"], ports.Select(p => p.Path));
        Assert.Equal("10c4:ea60", ports[0].UsbId);
        Assert.StartsWith("CP2102", ports[0].Chip, StringComparison.Ordinal);
        Assert.Equal("Silicon Labs", ports[0].Manufacturer);
        Assert.Equal("0001", ports[0].SerialNumber);
        Assert.Equal("cp210x", ports[0].Driver);
        Assert.Equal("1a86:7523", ports[1].UsbId);
        Assert.StartsWith("CH340", ports[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_serial_port_says_what_to_do()
    {
        var e = await Assert.ThrowsAsync<PortException>(() => DeviceLink.OpenAsync(Path.Combine(_root, "ttyUSB9")));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("espwire ports", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_tty_gives_a_port_error_not_a_crash()
    {
        var file = Path.Combine(_root, "not-a-tty");
        await File.WriteAllTextAsync(file, "x");
        var e = await Assert.ThrowsAsync<PortException>(() => DeviceLink.OpenAsync(file));
        Assert.False(string.IsNullOrWhiteSpace(e.Hint));
    }

    [Fact]
    public void Dialout_hint_is_the_exact_command()
    {
        var e = SerialErrors.Denied("/dev/ttyUSB0", new UnauthorizedAccessException("Access to the path is denied."));
        Assert.Contains("sudo usermod -aG dialout $USER", e.Hint, StringComparison.Ordinal);
        Assert.Contains("log out and in", e.Hint, StringComparison.Ordinal);
    }

    private void AddUsbTty(string tty, string usbName, string vid, string pid, string? manufacturer, string product, string? serial, string driver)
    {
        var usb = Dir($"devices/pci0000:00/0000:00:14.0/usb1/{usbName}");
        File.WriteAllText(Path.Combine(usb, "idVendor"), vid + "\n");
        File.WriteAllText(Path.Combine(usb, "idProduct"), pid + "\n");
        File.WriteAllText(Path.Combine(usb, "product"), product + "\n");
        if (manufacturer is not null) File.WriteAllText(Path.Combine(usb, "manufacturer"), manufacturer + "\n");
        if (serial is not null) File.WriteAllText(Path.Combine(usb, "serial"), serial + "\n");
        var serialDev = Dir($"devices/pci0000:00/0000:00:14.0/usb1/{usbName}/{usbName}:1.0/{tty}");
        var ttyDir = Dir($"devices/pci0000:00/0000:00:14.0/usb1/{usbName}/{usbName}:1.0/{tty}/tty/{tty}");
        Dir("bus/usb-serial");
        Dir($"bus/usb-serial/drivers/{driver}");
        // Relative links, as sysfs has them.
        Link(Path.Combine(ttyDir, "device"), "../../../" + tty);
        Link(Path.Combine(serialDev, "subsystem"), Path.GetRelativePath(serialDev, Path.Combine(_root, "bus/usb-serial")));
        Link(Path.Combine(serialDev, "driver"), Path.GetRelativePath(serialDev, Path.Combine(_root, $"bus/usb-serial/drivers/{driver}")));
        Dir("class/tty");
        Link(Path.Combine(_root, "class/tty", tty), Path.GetRelativePath(Path.Combine(_root, "class/tty"), ttyDir));
    }

    private string Dir(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    private static void Link(string path, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

public class SerialLinkTests
{
    [Fact]
    public async Task A_port_already_open_is_reported_busy_with_the_next_step()
    {
        await using var host = await Espwire.Emulator.Hosting.EmulatorHost.StartAsync(new() { Pty = true });
        var pts = host.Modules[0].PtyPath!;
        await using var first = await DeviceLink.OpenAsync(pts);
        Assert.False(first.SupportsSignals); // a pseudo-terminal has no DTR/RTS
        await first.SetSignalsAsync(true, false); // and setting them is a no-op, not an error
        var e = await Assert.ThrowsAsync<PortException>(() => DeviceLink.OpenAsync(pts));
        Assert.Contains("busy", e.Message, StringComparison.Ordinal);
        Assert.Contains("fuser", e.Hint, StringComparison.Ordinal);
    }
}
