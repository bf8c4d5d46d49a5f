using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Sinks;

/// <summary>Where readings go. The receiver's single writer calls <see cref="WriteAsync"/> with batches in arrival
/// order (per device), one call at a time; a sink that throws stops the receiver with that error.</summary>
public interface IReadingSink : IAsyncDisposable
{
    ValueTask WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken);
}
