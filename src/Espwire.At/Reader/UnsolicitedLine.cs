namespace Espwire.At.Reader;

/// <summary>A line the module sends on its own: <c>ready</c>, <c>WIFI GOT IP</c>, <c>0,CONNECT</c>, ...</summary>
public sealed record UnsolicitedLine(Unsolicited Kind, string Text, int? LinkId) : AtEvent;
