namespace Espwire.Flasher.Flashing;

/// <summary>One region written: what esptool's "Wrote N bytes (M compressed) at 0x... in T seconds" line says.</summary>
public sealed record WriteResult(uint Address, int Size, int? CompressedSize, TimeSpan Elapsed, int Retries)
{
    /// <summary>Uncompressed bits per second over the whole write, in kbit/s (esptool's "effective").</summary>
    public double EffectiveKbps => Elapsed.TotalSeconds > 0 ? Size * 8 / Elapsed.TotalSeconds / 1000 : 0;
}
