namespace Espwire.Ports;

/// <summary>One serial port found on the machine, with its USB identity where it has one.</summary>
public sealed record SerialPortInfo(
    string Path,
    string Driver,
    string? VendorId,
    string? ProductId,
    string? Manufacturer,
    string? Product,
    string? SerialNumber)
{
    /// <summary>"10c4:ea60" or null for ports that are not on USB.</summary>
    public string? UsbId => VendorId is null || ProductId is null ? null : $"{VendorId}:{ProductId}";

    /// <summary>The adapter chip, from the USB id (CP2102, CH340, FT232R, ...), or null.</summary>
    public string? Chip => UsbId is { } id ? UsbAdapters.Name(id) : null;

    /// <summary>A one-line description for people: the chip or the USB product name.</summary>
    public string Description => Chip ?? Product ?? Driver;
}
