using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>
/// READ_FLASH: <c>offset, length, packet size, max packets in flight</c> (stub). After the reply the stub streams
/// data frames the host acknowledges with the running byte count, then a 16-byte MD5 frame.
/// </summary>
public sealed record ReadFlashCommand(uint Offset, uint Length, uint PacketSize = 0x1000, uint MaxInFlight = 64) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.ReadFlash;

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, Offset);
        WriteUInt32(writer, Length);
        WriteUInt32(writer, PacketSize);
        WriteUInt32(writer, MaxInFlight);
    }
}
