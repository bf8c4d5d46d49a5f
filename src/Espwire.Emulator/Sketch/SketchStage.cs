namespace Espwire.Emulator.Sketch;

/// <summary>What a sketch is doing, as a console tells its user.</summary>
public enum SketchStage
{
    Scanning,
    Joining,
    Joined,
    JoinFailed,
    Sending,
    ServerUnreachable,
    ServerReached,
    NoAcknowledgement,
    WifiLost,
    ReadingsDropped,
}
