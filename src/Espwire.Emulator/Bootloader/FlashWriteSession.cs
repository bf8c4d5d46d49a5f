using Espwire.Protocol.Rom;
using System.IO.Compression;

namespace Espwire.Emulator.Bootloader;

/// <summary>
/// A write between FLASH_BEGIN (or FLASH_DEFL_BEGIN) and its end: where blocks go, which sequence number comes
/// next, and for compressed writes the running inflater.
/// </summary>
internal sealed class FlashWriteSession
{
    private readonly VirtualFlash _flash;
    private readonly FeedStream? _feed;
    private readonly ZLibStream? _inflater;
    private readonly byte[] _scratch = new byte[0x10000];
    private long _written;

    public FlashWriteSession(VirtualFlash flash, uint offset, uint size, uint blockCount, uint blockSize, bool compressed)
    {
        _flash = flash;
        Offset = offset;
        Size = size;
        BlockCount = blockCount;
        BlockSize = blockSize;
        if (compressed)
        {
            _feed = new FeedStream();
            _inflater = new ZLibStream(_feed, CompressionMode.Decompress);
        }
    }

    public uint Offset { get; }
    public uint Size { get; }
    public uint BlockCount { get; }
    public uint BlockSize { get; }
    public uint NextSequence { get; private set; }

    /// <summary>Bytes written so far in stub style (after inflating).</summary>
    public long Written => _written;
    public bool Compressed => _inflater is not null;

    /// <summary>ROM style: block <paramref name="seq"/> lands at offset + seq * block size, so a repeated block is harmless.</summary>
    public DeviceErrorCode WriteAtSequence(uint seq, ReadOnlySpan<byte> block)
    {
        var at = (long)Offset + (long)seq * BlockSize;
        if (seq >= BlockCount || at >= _flash.Size) return DeviceErrorCode.FailedToAct;
        var length = (int)Math.Min(block.Length, _flash.Size - at);
        _flash.Program((int)at, block[..length]);
        NextSequence = Math.Max(NextSequence, seq + 1);
        return DeviceErrorCode.None;
    }

    /// <summary>Stub style: blocks in order; a repeat of the last block (its ack was lost) is acknowledged again, not written twice.</summary>
    public DeviceErrorCode WriteNext(uint seq, ReadOnlySpan<byte> block, out bool duplicate)
    {
        duplicate = seq + 1 == NextSequence;
        if (duplicate) return DeviceErrorCode.None;
        if (seq != NextSequence) return DeviceErrorCode.StubNotEnoughData;
        DeviceErrorCode error;
        if (_inflater is null)
        {
            var length = (int)Math.Min(block.Length, Math.Max(0, Size - _written));
            if (length < block.Length && block[length..].IndexOfAnyExcept((byte)0xFF) >= 0) return DeviceErrorCode.StubTooMuchData;
            if (!_flash.Contains(Offset + _written, length)) return DeviceErrorCode.StubTooMuchData;
            _flash.Program((int)(Offset + _written), block[..length]);
            _written += length;
            error = DeviceErrorCode.None;
        }
        else error = Inflate(block);
        if (error == DeviceErrorCode.None) NextSequence++;
        return error;
    }

    private DeviceErrorCode Inflate(ReadOnlySpan<byte> block)
    {
        _feed!.Append(block.ToArray());
        try
        {
            int n;
            while ((n = _inflater!.Read(_scratch)) > 0)
            {
                if (_written + n > Size || !_flash.Contains(Offset + _written, n)) return DeviceErrorCode.StubTooMuchData;
                _flash.Program((int)(Offset + _written), _scratch.AsSpan(0, n));
                _written += n;
            }
        }
        catch (InvalidDataException)
        {
            return DeviceErrorCode.StubInflateError;
        }
        return DeviceErrorCode.None;
    }
}
