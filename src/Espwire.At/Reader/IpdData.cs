namespace Espwire.At.Reader;

/// <summary>Active-mode data, <c>+IPD,&lt;id&gt;,&lt;len&gt;:&lt;data&gt;</c>: the bytes are counted, not read up to a line end.</summary>
public sealed record IpdData(int? LinkId, byte[] Data, string? RemoteAddress, int? RemotePort) : AtEvent;
