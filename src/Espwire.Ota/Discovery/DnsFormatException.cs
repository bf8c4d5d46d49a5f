namespace Espwire.Ota.Discovery;

/// <summary>A DNS message that is truncated, loops, or breaks the limits; such packets are dropped, never trusted.</summary>
public sealed class DnsFormatException : Exception
{
    public DnsFormatException()
    {
    }

    public DnsFormatException(string message) : base(message)
    {
    }

    public DnsFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
