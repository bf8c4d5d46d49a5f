namespace Espwire.At.Wifi;

/// <summary>Why a join failed: the <c>+CWJAP:&lt;n&gt;</c> code (values as the firmware sends them).</summary>
public enum JoinFailure
{
    None = 0,
    Timeout = 1,
    WrongPassword = 2,
    ApNotFound = 3,
    ConnectFailed = 4,
    /// <summary>No +CWJAP code came (old firmware, or the host gave up waiting).</summary>
    Unknown = 255,
}
