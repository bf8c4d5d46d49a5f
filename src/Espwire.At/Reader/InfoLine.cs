namespace Espwire.At.Reader;

/// <summary>A line that belongs to the reply of the running command, e.g. <c>+CWMODE:1</c>.</summary>
public sealed record InfoLine(string Text) : AtEvent;
