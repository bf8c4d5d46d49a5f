namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>One reading on its way to the broker: its outbox id (the store's rowid, or a memory counter), its device,
/// when it arrived, its JSON payload (a slice of its fetch's buffer), and the names of its numeric values (for Home Assistant discovery).</summary>
public sealed record OutboxEntry(long Id, string Device, long ReceivedAtMicros, ReadOnlyMemory<byte> Payload, IReadOnlyList<string> ValueNames);
