namespace Espwire.At.Net;

/// <summary>The transport of a link opened with AT+CIPSTART.</summary>
public enum LinkProtocol
{
    Tcp,
    Udp,
}
