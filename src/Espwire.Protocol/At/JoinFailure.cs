namespace Espwire.Protocol.At;

/// <summary>Why a join failed: the <c>+CWJAP:&lt;n&gt;</c> code, values as the firmware sends them.</summary>
public enum JoinFailure
{
    None = 0,
    /// <summary>No address in time, e.g. station DHCP disabled (the seed's case).</summary>
    Timeout = 1,
    WrongPassword = 2,
    ApNotFound = 3,
    ConnectFailed = 4,
    /// <summary>No +CWJAP code came (old firmware, or the host gave up waiting). Never sent by a module.</summary>
    Unknown = 255,
}
