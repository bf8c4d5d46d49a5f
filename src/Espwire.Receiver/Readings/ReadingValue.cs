namespace Espwire.Receiver.Readings;

/// <summary>One numeric value parsed out of a reading: <c>value</c> for a bare number, the key for
/// <c>key=value</c> and JSON, the zero-based column (<c>"0"</c>, <c>"1"</c>) for comma-separated numbers.</summary>
public readonly record struct ReadingValue(string Name, double Value);
