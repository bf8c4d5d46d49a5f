using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Server;

/// <summary>A queued part holding readings with the device's own seq, or markers, or both: the writer walks it
/// entry by entry (dedup, answers). Plain parts are plain lists and skip all of that.</summary>
internal sealed class SequencedPart(AckTarget? target) : List<Reading>
{
    public AckTarget? Target { get; set; } = target;
}
