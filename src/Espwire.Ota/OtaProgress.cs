namespace Espwire.Ota;

/// <summary>Where an upload is: its stage and how many image bytes have gone out.</summary>
public readonly record struct OtaProgress(OtaStage Stage, long BytesSent, long TotalBytes);
