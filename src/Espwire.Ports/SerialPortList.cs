namespace Espwire.Ports;

/// <summary>
/// Lists serial ports. On Linux it reads /sys/class/tty, as pyserial's list_ports does: ports with a device behind
/// them, without the legacy 8250 placeholders, with the USB vendor/product of their adapter. Elsewhere it
/// falls back to <see cref="System.IO.Ports.SerialPort.GetPortNames"/>.
/// </summary>
public static class SerialPortList
{
    public static IReadOnlyList<SerialPortInfo> List() => OperatingSystem.IsLinux()
        ? FromSysfs("/sys", "/dev")
        : System.IO.Ports.SerialPort.GetPortNames().Order(StringComparer.Ordinal)
            .Select(p => new SerialPortInfo(p, "serial", null, null, null, null, null)).ToArray();

    /// <summary>Reads a sysfs tree; the roots are parameters so tests can build one in a temporary folder.</summary>
    public static IReadOnlyList<SerialPortInfo> FromSysfs(string sysRoot, string devRoot)
    {
        var classDir = Path.Combine(sysRoot, "class", "tty");
        if (!Directory.Exists(classDir)) return [];
        var ports = new List<SerialPortInfo>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(classDir))
        {
            var name = Path.GetFileName(entry);
            var device = Path.Combine(entry, "device");
            if (!Directory.Exists(device)) continue; // virtual consoles, ptys
            var deviceDir = Resolve(device);
            var subsystem = Path.GetFileName(Resolve(Path.Combine(deviceDir, "subsystem")));
            // ttyS0..31 exist on every PC whether or not a UART is there; skip the platform placeholders.
            if (subsystem == "platform" && name.StartsWith("ttyS", StringComparison.Ordinal)) continue;
            var driver = File.Exists(Path.Combine(deviceDir, "driver")) || Directory.Exists(Path.Combine(deviceDir, "driver"))
                ? Path.GetFileName(Resolve(Path.Combine(deviceDir, "driver")))
                : subsystem;
            var usb = FindUsbDevice(deviceDir, sysRoot);
            ports.Add(new SerialPortInfo(
                Path.Combine(devRoot, name),
                driver,
                usb is null ? null : ReadAttr(usb, "idVendor"),
                usb is null ? null : ReadAttr(usb, "idProduct"),
                usb is null ? null : ReadAttr(usb, "manufacturer"),
                usb is null ? null : ReadAttr(usb, "product"),
                usb is null ? null : ReadAttr(usb, "serial")));
        }
        return ports.OrderBy(p => p.Path, StringComparer.Ordinal).ToArray();
    }

    private static string? FindUsbDevice(string deviceDir, string sysRoot)
    {
        var root = Path.GetFullPath(sysRoot);
        for (var dir = deviceDir; dir is not null && dir.StartsWith(root, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "idVendor"))) return dir;
        return null;
    }

    private static string Resolve(string path)
    {
        var info = new DirectoryInfo(path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return Path.GetFullPath(target?.FullName ?? info.FullName);
    }

    private static string? ReadAttr(string dir, string name)
    {
        var file = Path.Combine(dir, name);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }
}
