namespace Espwire.Ports;

/// <summary>Clear errors, with the next step, for the ways opening a serial port goes wrong.</summary>
public static class SerialErrors
{
    public const string DialoutHint =
        "Your user may not open serial ports. Join the dialout group: sudo usermod -aG dialout $USER, then log out and in (or run: newgrp dialout).";

    public static PortException Missing(string path) => new(
        $"Serial port {path} does not exist.",
        "Plug the USB-serial adapter in (CP2102, CH340) and list ports with: espwire ports. On Windows ports are named COM3, COM4, ...; an emulator is reached with socket://HOST:PORT.");

    public static PortException Busy(string path, Exception inner) => new(
        $"Serial port {path} is busy: another program has it open.",
        $"Close the other program (Arduino serial monitor, screen, minicom, another espwire); 'fuser {path}' shows who holds it. ModemManager may grab new ports for a few seconds after plug-in.",
        inner);

    public static PortException Denied(string path, Exception inner) => new(
        $"Permission denied opening {path}.",
        OperatingSystem.IsWindows() ? "Another program may hold the port: close it and try again." : DialoutHint,
        inner);

    public static PortException FromOpen(string path, Exception e)
    {
        var text = e.Message;
        if (e is FileNotFoundException or DirectoryNotFoundException || text.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || text.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
            return Missing(path);
        if (text.Contains("busy", StringComparison.OrdinalIgnoreCase) || text.Contains("in use", StringComparison.OrdinalIgnoreCase)
            || text.Contains("locked", StringComparison.OrdinalIgnoreCase))
            return Busy(path, e);
        if (e is UnauthorizedAccessException || text.Contains("denied", StringComparison.OrdinalIgnoreCase)
            || text.Contains("permission", StringComparison.OrdinalIgnoreCase))
            return OperatingSystem.IsWindows() ? Busy(path, e) : Denied(path, e);
        return new PortException($"Could not open {path}: {text}", "Check that it is a serial device (espwire ports lists them).", e);
    }
}
