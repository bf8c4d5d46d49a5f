using Espwire.Protocol.Rom;
using System.Buffers;
using System.Buffers.Binary;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Commands;

/// <summary>One request of the bootloader protocol: its opcode, payload, checksum, timeout and reply shape.</summary>
public abstract record BootloaderCommand
{
    /// <summary>esptool's DEFAULT_TIMEOUT: enough for every short command on a loaded host.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    public abstract Opcode Opcode { get; }

    /// <summary>The checksum field; only data-carrying commands fill it in.</summary>
    public virtual uint Checksum => 0;

    /// <summary>How long the device may take to answer.</summary>
    public virtual TimeSpan Timeout => DefaultTimeout;

    /// <summary>Bytes of reply data before the two status bytes (16 for SPI_FLASH_MD5 on the stub, else 0).</summary>
    public virtual int ReplyDataLength => 0;

    /// <summary>Writes the payload (everything after the 8-byte header).</summary>
    public abstract void WriteData(IBufferWriter<byte> writer);

    protected static void WriteUInt32(IBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    protected static void WriteBytes(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }

    /// <summary>A timeout that grows with the bytes an operation touches (esptool's timeout_per_mb), never below the default.</summary>
    protected static TimeSpan PerMegabyte(double secondsPerMegabyte, long bytes)
    {
        var t = TimeSpan.FromSeconds(secondsPerMegabyte * bytes / 1e6);
        return t < DefaultTimeout ? DefaultTimeout : t;
    }
}
