using Espwire.Ports;

namespace Espwire.Flasher.Reset;

/// <summary>The strategies a connection attempt cycles through, as esptool does (tight first on Unix, 50 then 550 ms).</summary>
public static class ResetSequence
{
    public static readonly TimeSpan ShortDelay = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan LongDelay = TimeSpan.FromMilliseconds(550);

    public static IReadOnlyList<IResetStrategy> For(BeforeAction before, IDeviceLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (before == BeforeAction.NoReset || !link.SupportsSignals) return [new NoReset()];
        if (OperatingSystem.IsWindows())
            return [new ClassicReset(ShortDelay), new ClassicReset(LongDelay)];
        return [new UnixTightReset(ShortDelay), new UnixTightReset(LongDelay), new ClassicReset(ShortDelay), new ClassicReset(LongDelay)];
    }
}
