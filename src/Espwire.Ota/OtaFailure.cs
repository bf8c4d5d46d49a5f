namespace Espwire.Ota;

/// <summary>Why an upload failed, in the device's terms.</summary>
public enum OtaFailure
{
    /// <summary>No answer to the invitation: no ArduinoOTA listening at that address and port.</summary>
    NoAnswer,

    /// <summary>The device asked for a password and none was given.</summary>
    PasswordRequired,

    /// <summary>The device answered <c>Authentication Failed</c>.</summary>
    WrongPassword,

    /// <summary>No answer to the authentication line.</summary>
    NoAnswerToAuthentication,

    /// <summary>The device could not start the update: the image does not fit beside the running sketch.</summary>
    NotEnoughSpace,

    /// <summary>The device refused the update for another reason (its <c>ERR:</c> text says which).</summary>
    Refused,

    /// <summary>The device answered something that is not espota.</summary>
    BadAnswer,

    /// <summary>The device accepted but never connected back to the host's TCP port (a firewall, or the wrong local address).</summary>
    NoConnectBack,

    /// <summary>The connection broke or stalled during the transfer.</summary>
    TransferFailed,

    /// <summary>The device received everything but the MD5 did not match.</summary>
    Md5Mismatch,

    /// <summary>The device reported another error at the end (its <c>ERROR[n]</c> text says which).</summary>
    DeviceError,

    /// <summary>No final answer after the transfer.</summary>
    NoResult,
}
