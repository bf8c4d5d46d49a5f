namespace Espwire.Ota;

/// <summary>An invitation as the device reads it: what to update, where to connect back, how many bytes, their MD5.</summary>
public readonly record struct OtaInvitation(OtaImageKind Kind, int HostPort, long Size, string Md5Hex);
