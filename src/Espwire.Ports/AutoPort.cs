namespace Espwire.Ports;

/// <summary>
/// <c>--port auto</c>: the one serial port behind a USB bridge that ESP8266 boards use (<see cref="UsbAdapters"/>).
/// None is a device problem (plug it in); several is the user's choice to make (name one).
/// </summary>
public static class AutoPort
{
    public const string Name = "auto";

    public static bool IsAuto(string port) => string.Equals(port?.Trim(), Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The one ESP adapter among <paramref name="ports"/>.</summary>
    /// <exception cref="PortException">None is plugged in (exit 1).</exception>
    /// <exception cref="PortChoiceException">Several are: the message lists them and says what to pass (exit 2).</exception>
    public static SerialPortInfo Choose(IReadOnlyList<SerialPortInfo> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var esp = ports.Where(p => UsbAdapters.IsEspBridge(p.UsbId)).ToList();
        if (esp.Count == 1) return esp[0];
        if (esp.Count == 0)
        {
            var others = ports.Count == 0 ? "no serial ports at all" : $"only {string.Join(", ", ports.Select(Describe))}";
            throw new PortException("no ESP USB serial adapter found; plug it in or pass --port",
                $"Found {others}. Known bridges: CP210x 10c4:ea60, CH340 1a86:7523, FTDI 0403:6001 and others; `espwire ports` lists what is there. For the emulator pass --port socket://127.0.0.1:4000.");
        }
        throw new PortChoiceException(esp);
    }

    /// <summary>Resolves "auto" with the machine's port list; any other port string is returned as it is.</summary>
    public static string Resolve(string port, Func<IReadOnlyList<SerialPortInfo>>? list = null)
        => IsAuto(port) ? Choose((list ?? SerialPortList.List)()).Path : port;

    internal static string Describe(SerialPortInfo p) => $"{p.Path} ({p.Description}{(p.UsbId is { } id ? $", {id}" : "")})";
}
