namespace Espwire.Emulator.Sketch;

/// <summary>The sketch in the module's flash.</summary>
public enum SketchKind
{
    /// <summary>The seed's sketch exactly: a new connection per reading, nothing checked, nothing kept.</summary>
    Seed,
    /// <summary>The seed's sketch with the Espwire library (firmware/Espwire): one kept connection, the hello,
    /// sequence numbers, a ring of unacknowledged readings resent after a reconnect.</summary>
    Espwire,
}
