namespace Espwire.At.Wifi;

/// <summary>Progress of a join, reported as the module's notices arrive.</summary>
public enum JoinStage
{
    Sent,
    Associated,
    GotIp,
    Disconnected,
    Finished,
}
