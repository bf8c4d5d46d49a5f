namespace Espwire.At.Wifi;

/// <summary>What probably went wrong with a join, in plain words, and the fix to offer.</summary>
/// <param name="DhcpOff">The seed's case: WIFI CONNECTED, then +CWJAP:1 because station DHCP is disabled.</param>
/// <param name="FixCommand">The AT command that fixes it (e.g. AT+CWDHCP=1,1), if there is one.</param>
public sealed record JoinDiagnosis(string Summary, string NextStep, bool DhcpOff, string? FixCommand);
