using System.IO.Ports;
using Espwire.Ports.Modem;

namespace Espwire.Ports;

/// <summary>A serial device (CP2102, CH340, a pseudo-terminal) through System.IO.Ports, 8N1, no flow control.</summary>
public sealed class SerialLink : IDeviceLink
{
    private readonly SerialPort _port;
    private readonly PortLock? _lock;
    private IModemControl? _modem;

    private SerialLink(string name, SerialPort port, PortLock? portLock)
    {
        _lock = portLock;
        Name = name;
        // Pseudo-terminals (the emulator, socat) have no modem lines: signals become a no-op there, as on socket://.
        SupportsSignals = !name.StartsWith("/dev/pts/", StringComparison.Ordinal);
        _port = port;
        Stream = port.BaseStream;
    }

    public string Name { get; }
    public Stream Stream { get; }
    public bool SupportsSignals { get; }
    public bool SupportsBaudRate => true;
    public int BaudRate => _port.BaudRate;

    public static IDeviceLink Open(PortAddress address, LinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        var path = address.Path;
        if (!OperatingSystem.IsWindows() && !File.Exists(path))
            throw SerialErrors.Missing(path);
        var portLock = PortLock.Acquire(path);
        var port = new SerialPort(path, options.BaudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = SerialPort.InfiniteTimeout,
            ReadBufferSize = 64 * 1024,
        };
        if (options.Dtr is { } dtr) port.DtrEnable = dtr;
        if (options.Rts is { } rts) port.RtsEnable = rts;
        try
        {
            port.Open();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            portLock?.Dispose();
            throw SerialErrors.FromOpen(path, e);
        }
        return new SerialLink(path, port, portLock);
    }

    public Task SetBaudRateAsync(int baudRate, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baudRate, 50);
        _port.BaudRate = baudRate;
        return Task.CompletedTask;
    }

    /// <summary>
    /// On Linux and macOS both lines change in one TIOCMSET (after one TIOCMGET), so a reset strategy that moves
    /// DTR and RTS together gets exactly that; elsewhere System.IO.Ports sets them one after the other.
    /// </summary>
    public Task SetSignalsAsync(bool? dtr, bool? rts, CancellationToken cancellationToken = default)
    {
        if (!SupportsSignals || (dtr is null && rts is null)) return Task.CompletedTask;
        try
        {
            if (UnixModemControl.IsSupported)
                ModemLines.Apply(_modem ??= UnixModemControl.Open(Name), dtr, rts);
            else
            {
                if (dtr is { } d) _port.DtrEnable = d;
                if (rts is { } r) _port.RtsEnable = r;
            }
        }
        catch (IOException e)
        {
            // Pseudo-terminals have no modem lines; the ioctl fails there.
            throw new PortException($"{Name} has no DTR/RTS lines: {e.Message}", "Reset the board by hand (EN to GND), or use a USB-serial adapter with DTR/RTS wired to EN/GPIO0.", e);
        }
        return Task.CompletedTask;
    }

    public Task DiscardInputAsync(CancellationToken cancellationToken = default)
    {
        _port.DiscardInBuffer();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _port.Close();
        }
        catch (IOException)
        {
            // The device vanished (USB unplugged); nothing left to close.
        }
        _port.Dispose();
        (_modem as IDisposable)?.Dispose();
        _lock?.Dispose();
        return ValueTask.CompletedTask;
    }
}
