namespace Espwire.At.Reader;

/// <summary>The line that ends a reply: OK, ERROR, FAIL, SEND OK or SEND FAIL.</summary>
public sealed record FinalLine(ResultCode Code) : AtEvent;
