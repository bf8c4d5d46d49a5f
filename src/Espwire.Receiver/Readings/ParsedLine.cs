namespace Espwire.Receiver.Readings;

/// <summary>What <see cref="ReadingParser"/> found in a line's text.</summary>
public readonly record struct ParsedLine(ReadingFormat Format, ReadingValue[] Values, string? DeclaredId);
