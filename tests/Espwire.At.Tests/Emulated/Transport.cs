namespace Espwire.At.Tests.Emulated;

/// <summary>How a test reaches the emulated module.</summary>
public enum Transport
{
    /// <summary>socket://127.0.0.1:PORT (raw TCP).</summary>
    Socket,
    /// <summary>A pseudo-terminal opened with System.IO.Ports, as a real /dev/ttyUSB0 would be.</summary>
    Pty,
}
