namespace Espwire.Ports;

/// <summary>How a port string reaches the device.</summary>
public enum PortKind
{
    /// <summary>A serial device path such as <c>/dev/ttyUSB0</c>, <c>/dev/pts/3</c> or <c>COM3</c>.</summary>
    Serial,
    /// <summary><c>socket://host:port</c>: raw bytes over TCP (pyserial's socket handler).</summary>
    Socket,
    /// <summary><c>rfc2217://host:port</c>: telnet with RFC 2217 for baud rate and DTR/RTS.</summary>
    Rfc2217,
}
