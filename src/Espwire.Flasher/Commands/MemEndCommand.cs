using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>MEM_END: <c>entry == 0 ? 1 : 0, entry</c>; with an entry point the ROM jumps there after answering.</summary>
public sealed record MemEndCommand(uint Entry) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.MemEnd;

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, Entry == 0 ? 1u : 0u);
        WriteUInt32(writer, Entry);
    }
}
