namespace Espwire.At.Reader;

/// <summary>The module echoing the command the host sent (echo is on after every reset).</summary>
public sealed record EchoLine(string Text) : AtEvent;
