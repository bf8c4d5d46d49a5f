namespace Espwire.At.Reader;

/// <summary>Passive-mode notice, <c>+IPD,&lt;id&gt;,&lt;len&gt;</c>: data waits in the module for AT+CIPRECVDATA.</summary>
public sealed record IpdNotice(int? LinkId, int Length) : AtEvent;
