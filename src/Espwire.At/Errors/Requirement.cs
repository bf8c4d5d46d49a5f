namespace Espwire.At.Errors;

/// <summary>What a command needs from the module's state to succeed.</summary>
internal enum Requirement
{
    None,
    /// <summary>Joined to an access point (AT+CIPSTART, AT+PING, AT+CIPDOMAIN).</summary>
    Wifi,
    /// <summary>Joined, and a link open (AT+CIPSEND, AT+CIPCLOSE, AT+CIPRECVDATA).</summary>
    Link,
    /// <summary>AT+CIPMUX=1 (AT+CIPSERVER).</summary>
    Multiplexing,
}
