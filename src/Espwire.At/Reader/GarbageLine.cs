namespace Espwire.At.Reader;

/// <summary>Bytes that are not a line of text (ROM boot output at 74880 baud, noise); counted and dropped.</summary>
public sealed record GarbageLine(int Length) : AtEvent;
