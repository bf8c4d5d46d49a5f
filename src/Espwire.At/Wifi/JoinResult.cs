using Espwire.Protocol.At;
namespace Espwire.At.Wifi;

/// <summary>The outcome of AT+CWJAP.</summary>
/// <param name="Associated">WIFI CONNECTED was seen: the radio part worked.</param>
/// <param name="GotIp">WIFI GOT IP was seen.</param>
public sealed record JoinResult(bool Success, JoinFailure Failure, bool Associated, bool GotIp, JoinDiagnosis? Diagnosis, TimeSpan Elapsed);
