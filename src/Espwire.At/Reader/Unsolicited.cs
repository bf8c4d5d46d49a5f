namespace Espwire.At.Reader;

/// <summary>Lines the module sends without being asked. Matched on every line, also inside a reply or an echo.</summary>
public enum Unsolicited
{
    /// <summary><c>ready</c>: the module (re)started; echo is on again and all links are gone.</summary>
    Ready,
    WifiConnected,
    WifiGotIp,
    WifiDisconnect,
    /// <summary><c>[id,]CONNECT</c>: a link opened (our CIPSTART, or a client accepted by CIPSERVER).</summary>
    LinkConnected,
    /// <summary><c>[id,]CLOSED</c>.</summary>
    LinkClosed,
    /// <summary><c>[id,]CONNECT FAIL</c>.</summary>
    LinkConnectFailed,
    /// <summary><c>+STA_CONNECTED:"mac"</c>: a station joined the module's soft-AP.</summary>
    StationJoined,
    /// <summary><c>+DIST_STA_IP:"mac","ip"</c>.</summary>
    StationGotIp,
    /// <summary><c>+STA_DISCONNECTED:"mac"</c>.</summary>
    StationLeft,
}
