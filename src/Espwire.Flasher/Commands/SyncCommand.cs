using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>SYNC: <c>07 07 12 20</c> and 32 x <c>0x55</c>, which also lets the ROM measure the baud rate.</summary>
public sealed record SyncCommand : BootloaderCommand
{
    public override Opcode Opcode => Opcode.Sync;

    // Short on purpose: a reset sequence tries several syncs and a silent chip should not stall it.
    public override TimeSpan Timeout => TimeSpan.FromMilliseconds(100);

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteBytes(writer, [0x07, 0x07, 0x12, 0x20]);
        var span = writer.GetSpan(32);
        span[..32].Fill(0x55);
        writer.Advance(32);
    }
}
