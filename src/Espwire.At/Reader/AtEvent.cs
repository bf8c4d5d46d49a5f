namespace Espwire.At.Reader;

/// <summary>One thing the reader recognised in the byte stream from the module.</summary>
public abstract record AtEvent;

/// <summary>The module echoing the command the host sent (echo is on after every reset).</summary>
public sealed record EchoLine(string Text) : AtEvent;

/// <summary>A line that belongs to the reply of the running command, e.g. <c>+CWMODE:1</c>.</summary>
public sealed record InfoLine(string Text) : AtEvent;

/// <summary>The line that ends a reply: OK, ERROR, FAIL, SEND OK or SEND FAIL.</summary>
public sealed record FinalLine(ResultCode Code) : AtEvent;

/// <summary><c>busy p...</c> or <c>busy s...</c>: the module is still working on an earlier command and ignored this one.</summary>
public sealed record BusyLine(string Text) : AtEvent;

/// <summary>The <c>&gt;</c> prompt after AT+CIPSEND: the module now takes exactly the announced number of raw bytes.</summary>
public sealed record PromptEvent : AtEvent;

/// <summary>A line the module sends on its own: <c>ready</c>, <c>WIFI GOT IP</c>, <c>0,CONNECT</c>, ...</summary>
public sealed record UnsolicitedLine(Unsolicited Kind, string Text, int? LinkId) : AtEvent;

/// <summary>Active-mode data, <c>+IPD,&lt;id&gt;,&lt;len&gt;:&lt;data&gt;</c>: the bytes are counted, not read up to a line end.</summary>
public sealed record IpdData(int? LinkId, byte[] Data, string? RemoteAddress, int? RemotePort) : AtEvent;

/// <summary>Passive-mode notice, <c>+IPD,&lt;id&gt;,&lt;len&gt;</c>: data waits in the module for AT+CIPRECVDATA.</summary>
public sealed record IpdNotice(int? LinkId, int Length) : AtEvent;

/// <summary>The data part of an AT+CIPRECVDATA reply (1.7: <c>+CIPRECVDATA,n:</c>; 2.x: <c>+CIPRECVDATA:n,</c>).</summary>
public sealed record ReceivedData(byte[] Data) : AtEvent;

/// <summary>Bytes that are not a line of text (ROM boot output at 74880 baud, noise); counted and dropped.</summary>
public sealed record GarbageLine(int Length) : AtEvent;
