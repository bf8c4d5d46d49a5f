namespace Espwire.Testing;

/// <summary>How a test reaches the emulated module.</summary>
public enum Transport
{
    /// <summary>socket://127.0.0.1:PORT (raw TCP).</summary>
    Socket,
    /// <summary>A pseudo-terminal opened with System.IO.Ports, as a real /dev/ttyUSB0 would be.</summary>
    Pty,
    /// <summary>rfc2217://127.0.0.1:PORT (telnet with RFC 2217, as ser2net and esptool's server speak it).</summary>
    Rfc2217,
}
