namespace Espwire.Emulator.Wifi;

/// <summary>Why a join failed, with the codes AT+CWJAP prints (<c>+CWJAP:N</c>).</summary>
public enum JoinFailure
{
    None = 0,
    /// <summary>No address in time, e.g. station DHCP disabled (the seed's case).</summary>
    Timeout = 1,
    WrongPassword = 2,
    NoAccessPoint = 3,
    ConnectionFailed = 4,
}
