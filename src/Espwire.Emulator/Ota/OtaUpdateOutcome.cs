namespace Espwire.Emulator.Ota;

/// <summary>What became of one OTA attempt, for logs and tests (<see cref="VirtualModule.OtaFinished"/>).</summary>
public sealed record OtaUpdateOutcome(bool Succeeded, string What, long BytesReceived, long Size);
