using Espwire.Ports;

namespace Espwire.Flasher.Tests;

/// <summary>--port auto over an injected port list (the machine's own list is never consulted here).</summary>
public class AutoPortTests
{
    private static SerialPortInfo Usb(string path, string vid, string pid, string product = "USB Serial")
        => new(path, "usb-serial", vid, pid, null, product, null);

    private static readonly SerialPortInfo BuiltInUart = new("/dev/ttyS4", "serial8250", null, null, null, null, null);
    private static readonly SerialPortInfo ArduinoUno = Usb("/dev/ttyACM0", "2341", "0043", "Arduino Uno");

    [Fact]
    public void The_one_esp_adapter_is_chosen_among_other_ports()
    {
        var cp2102 = Usb("/dev/ttyUSB0", "10c4", "ea60");
        Assert.Same(cp2102, AutoPort.Choose([BuiltInUart, ArduinoUno, cp2102]));
        Assert.Equal("/dev/ttyUSB0", AutoPort.Resolve("auto", () => [BuiltInUart, cp2102]));
        Assert.Equal("/dev/ttyUSB0", AutoPort.Resolve(" AUTO ", () => [cp2102]));
    }

    [Theory]
    [InlineData("1a86", "7523")] // CH340
    [InlineData("0403", "6001")] // FT232R
    [InlineData("0403", "6015")] // FT231X
    [InlineData("1a86", "55d4")] // CH9102
    public void Each_known_bridge_counts(string vid, string pid)
    {
        Assert.Equal("/dev/ttyUSB3", AutoPort.Choose([Usb("/dev/ttyUSB3", vid, pid)]).Path);
    }

    [Fact]
    public void None_is_a_device_error_saying_what_was_found_and_what_to_do()
    {
        var e = Assert.Throws<PortException>(() => AutoPort.Choose([BuiltInUart, ArduinoUno]));
        Assert.Equal("no ESP USB serial adapter found; plug it in or pass --port", e.Message);
        Assert.Contains("/dev/ttyACM0 (Arduino Uno, 2341:0043)", e.Hint, StringComparison.Ordinal);
        Assert.Contains("espwire ports", e.Hint, StringComparison.Ordinal);
        var empty = Assert.Throws<PortException>(() => AutoPort.Choose([]));
        Assert.Contains("no serial ports at all", empty.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_is_a_usage_error_listing_them_with_the_option_to_pass()
    {
        var a = Usb("/dev/ttyUSB0", "10c4", "ea60");
        var b = Usb("/dev/ttyUSB1", "1a86", "7523");
        var e = Assert.Throws<PortChoiceException>(() => AutoPort.Choose([a, b]));
        Assert.IsAssignableFrom<FormatException>(e); // usage (exit 2) wherever FormatException is
        Assert.Contains("/dev/ttyUSB0 (CP2102 (Silicon Labs CP210x), 10c4:ea60)", e.Message, StringComparison.Ordinal);
        Assert.Contains("/dev/ttyUSB1 (CH340 (WCH), 1a86:7523)", e.Message, StringComparison.Ordinal);
        Assert.Contains("--port /dev/ttyUSB0", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Candidates.Count);
    }

    [Fact]
    public void Other_port_strings_pass_through_without_listing_ports()
    {
        Assert.Equal("socket://127.0.0.1:4000", AutoPort.Resolve("socket://127.0.0.1:4000", () => throw new InvalidOperationException("listed")));
        Assert.Equal("/dev/ttyUSB7", AutoPort.Resolve("/dev/ttyUSB7", () => throw new InvalidOperationException("listed")));
    }
}
