using System.Diagnostics;

namespace Espwire.Emulator.Bootloader;

/// <summary>
/// How long the flash chip is busy (Winbond W25Q32 typical datasheet times), so a paced emulator is as slow as a
/// real module: the ROM erases before it answers FLASH_BEGIN and programs before it answers FLASH_DATA; the stub
/// answers first and is busy when the next command arrives.
/// </summary>
internal sealed class FlashTiming(bool enabled)
{
    public static readonly TimeSpan SectorErase = TimeSpan.FromMilliseconds(45);
    public static readonly TimeSpan BlockErase = TimeSpan.FromMilliseconds(150);
    public static readonly TimeSpan PageProgram = TimeSpan.FromMicroseconds(700);
    private const int SectorsPerBlock = 16;

    /// <summary>The stub's SPI_FLASH_MD5: reading at 40 MHz and hashing on the 80 MHz core, about 1 MB/s (an estimate).</summary>
    public static readonly TimeSpan HashPerKilobyte = TimeSpan.FromMilliseconds(1);

    private long _busyUntil;

    public bool Enabled { get; } = enabled;

    /// <summary>Sectors in whole 64 KB blocks use the faster block erase, as the ROM's SPIEraseArea does.</summary>
    public void ChargeErase(int firstSector, int count)
    {
        if (!Enabled || count <= 0) return;
        var time = TimeSpan.Zero;
        var s = firstSector;
        var end = firstSector + count;
        while (s < end)
        {
            if (s % SectorsPerBlock == 0 && end - s >= SectorsPerBlock) { time += BlockErase; s += SectorsPerBlock; }
            else { time += SectorErase; s++; }
        }
        Charge(time);
    }

    public void ChargeProgram(int bytes)
    {
        if (!Enabled || bytes <= 0) return;
        Charge(PageProgram * ((bytes + 255) / 256));
    }

    public void ChargeHash(long bytes)
    {
        if (!Enabled || bytes <= 0) return;
        Charge(HashPerKilobyte * ((bytes + 1023) / 1024));
    }

    private void Charge(TimeSpan time)
    {
        var now = Stopwatch.GetTimestamp();
        _busyUntil = Math.Max(now, _busyUntil) + (long)(time.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Waits until the chip is idle.</summary>
    public Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        if (!Enabled) return Task.CompletedTask;
        var now = Stopwatch.GetTimestamp();
        if (_busyUntil <= now) return Task.CompletedTask;
        var wait = Stopwatch.GetElapsedTime(now, _busyUntil);
        return wait > TimeSpan.FromMilliseconds(1) ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }
}
