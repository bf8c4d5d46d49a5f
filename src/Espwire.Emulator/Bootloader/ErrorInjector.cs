using Espwire.Protocol.Rom;
namespace Espwire.Emulator.Bootloader;

/// <summary>Decides which replies to damage (--inject-errors RATE), so flashers' retries get exercised.</summary>
public sealed class ErrorInjector
{
    private readonly double _rate;
    private readonly Random _random;

    public ErrorInjector(double rate, int? seed)
    {
        if (rate is < 0 or > 1 || double.IsNaN(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The error rate is a fraction from 0 to 1.");
        _rate = rate;
        _random = seed is { } s ? new Random(s) : new Random();
    }

    public int Dropped { get; private set; }
    public int Truncated { get; private set; }
    public int CorruptedBlocks { get; private set; }

    public InjectedFault Next(Opcode op)
    {
        // Replies after which the device changes state (jumps, switches baud, streams) are never damaged:
        // a real line could damage them too, but no flasher can recover from that and the point is to test retries.
        if (_rate <= 0 || op is Opcode.MemEnd or Opcode.ChangeBaudRate or Opcode.ReadFlash
                or Opcode.FlashEnd or Opcode.FlashDeflEnd or Opcode.RunUserCode)
            return InjectedFault.None;
        if (_random.NextDouble() >= _rate) return InjectedFault.None;
        var isData = op is Opcode.FlashData or Opcode.FlashDeflData or Opcode.MemData;
        var kind = _random.Next(isData ? 3 : 2);
        switch (kind)
        {
            case 0: Dropped++; return InjectedFault.DropReply;
            case 1: Truncated++; return InjectedFault.TruncateReply;
            default: CorruptedBlocks++; return InjectedFault.CorruptBlock;
        }
    }
}
