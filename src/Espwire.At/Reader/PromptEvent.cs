namespace Espwire.At.Reader;

/// <summary>The <c>&gt;</c> prompt after AT+CIPSEND: the module now takes exactly the announced number of raw bytes.</summary>
public sealed record PromptEvent : AtEvent;
