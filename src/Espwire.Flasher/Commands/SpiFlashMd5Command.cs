using Espwire.Protocol.Rom;
using System.Buffers;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>SPI_FLASH_MD5: <c>addr, size, 0, 0</c>; the stub answers with 16 raw digest bytes.</summary>
public sealed record SpiFlashMd5Command(uint Address, uint Size) : BootloaderCommand
{
    public override Opcode Opcode => Opcode.SpiFlashMd5;

    // esptool's MD5_TIMEOUT_PER_MB.
    public override TimeSpan Timeout => PerMegabyte(8, Size);

    public override int ReplyDataLength => 16;

    public override void WriteData(IBufferWriter<byte> writer)
    {
        WriteUInt32(writer, Address);
        WriteUInt32(writer, Size);
        WriteUInt32(writer, 0);
        WriteUInt32(writer, 0);
    }
}
