namespace Espwire.Receiver.Readings;

/// <summary>The socket kind a reading came in on.</summary>
public enum Transport
{
    Tcp = 0,
    Udp = 1,
}
