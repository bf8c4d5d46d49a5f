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
            if (!Directory.Exists(deviceDir)) continue;
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

    // realpath(3): sysfs entries are symlinks to symlinks with relative targets, resolved component by component.
    private static string Resolve(string path)
    {
        var parts = Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        var pending = new Stack<string>(parts.Reverse());
        for (var hops = 0; pending.Count > 0 && hops < 256; hops++)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (target.StartsWith('/')) current = "/";
            foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
        }
        return current;
    }

    private static string? ReadAttr(string dir, string name)
    {
        var file = Path.Combine(dir, name);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }
}
