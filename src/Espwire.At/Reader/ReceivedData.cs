namespace Espwire.At.Reader;

/// <summary>The data part of an AT+CIPRECVDATA reply (1.7: <c>+CIPRECVDATA,n:</c>; 2.x: <c>+CIPRECVDATA:n,</c>).</summary>
public sealed record ReceivedData(byte[] Data) : AtEvent;
