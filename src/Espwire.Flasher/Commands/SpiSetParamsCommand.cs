using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>SPI_SET_PARAMS: <c>id 0, total_size, block 64K, sector 4K, page 256, status mask 0xFFFF</c> (stub only on ESP8266).</summary>
public sealed record SpiSetParamsCommand(uint TotalSize) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.SpiSetParams;

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, 0);
        WriteUInt32(writer, TotalSize);
        WriteUInt32(writer, 0x10000);
        WriteUInt32(writer, 0x1000);
        WriteUInt32(writer, 0x100);
        WriteUInt32(writer, 0xFFFF);
    }
}
