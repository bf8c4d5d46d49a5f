using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Espwire.Emulator.Bootloader;

/// <summary>
/// The module's SPI NOR flash: erased bytes read 0xFF, a write can only clear bits (so writing without erasing
/// shows up as damage, as on the chip). Optionally backed by a file, written through on every change.
/// </summary>
public sealed class VirtualFlash : IDisposable
{
    public const int SectorSize = 0x1000;

    private readonly byte[] _bytes;
    private readonly SafeFileHandle? _file;
    private readonly Lock _gate = new();

    public VirtualFlash(int size, string? file = null)
    {
        if (size <= 0 || size % SectorSize != 0 || size > 16 << 20)
            throw new ArgumentOutOfRangeException(nameof(size), size, "Flash size must be a multiple of 4 KB, at most 16 MB.");
        _bytes = new byte[size];
        Array.Fill(_bytes, (byte)0xFF);
        if (file is not null)
        {
            _file = File.OpenHandle(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            var length = RandomAccess.GetLength(_file);
            if (length > 0) RandomAccess.Read(_file, _bytes.AsSpan(0, (int)Math.Min(length, size)), 0);
            if (length != size) RandomAccess.Write(_file, _bytes, 0);
            if (length > size) RandomAccess.SetLength(_file, size);
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BootloaderOptions, VirtualFlash> Shared = new();

    /// <summary>
    /// The flash belonging to one options object: every bootloader made from the same <see cref="BootloaderOptions"/>
    /// instance (one per boot of a module) sees the same chip, so what a flasher wrote survives the reset.
    /// </summary>
    public static VirtualFlash For(BootloaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Shared.GetValue(options, o => new VirtualFlash(o.FlashSize, o.FlashFile));
    }

    public int Size => _bytes.Length;

    /// <summary>Sector erases done so far (counts the ROM's over-erase too).</summary>
    public int SectorsErased { get; private set; }

    public bool Contains(long offset, long length) => offset >= 0 && length >= 0 && offset + length <= _bytes.Length;

    /// <summary>Erases whole sectors from <paramref name="firstSector"/>; stops at the end of the chip.</summary>
    public void EraseSectors(int firstSector, int count)
    {
        lock (_gate)
        {
            var start = (long)firstSector * SectorSize;
            var end = Math.Min(_bytes.Length, start + (long)count * SectorSize);
            if (start >= end) return;
            _bytes.AsSpan((int)start, (int)(end - start)).Fill(0xFF);
            SectorsErased += (int)((end - start) / SectorSize);
            Persist((int)start, (int)(end - start));
        }
    }

    /// <summary>Programs bytes: each flash bit can go from 1 to 0 only.</summary>
    public void Program(int offset, ReadOnlySpan<byte> data)
    {
        if (!Contains(offset, data.Length)) throw new ArgumentOutOfRangeException(nameof(offset), "Write past the end of the flash.");
        lock (_gate)
        {
            for (var i = 0; i < data.Length; i++) _bytes[offset + i] &= data[i];
            Persist(offset, data.Length);
        }
    }

    public byte[] Read(int offset, int length)
    {
        if (!Contains(offset, length)) throw new ArgumentOutOfRangeException(nameof(offset), "Read past the end of the flash.");
        lock (_gate) return _bytes.AsSpan(offset, length).ToArray();
    }

    public byte[] Md5(int offset, int length)
    {
        if (!Contains(offset, length)) throw new ArgumentOutOfRangeException(nameof(offset), "Hash past the end of the flash.");
        lock (_gate) return MD5.HashData(_bytes.AsSpan(offset, length));
    }

    /// <summary>A copy of the whole chip.</summary>
    public byte[] Snapshot()
    {
        lock (_gate) return (byte[])_bytes.Clone();
    }

    private void Persist(int offset, int length)
    {
        if (_file is not null) RandomAccess.Write(_file, _bytes.AsSpan(offset, length), offset);
    }

    public void Dispose() => _file?.Dispose();
}
