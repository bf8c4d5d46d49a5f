using Espwire.Protocol.Rom;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Reset;

namespace Espwire.Flasher.Flashing;

/// <summary>
/// Flash operations on a synced connection, in ROM mode (0x400 blocks, the erase-size workaround) or stub mode
/// (0x4000 blocks, zlib, MD5, read, erase).
/// </summary>
public sealed class Esp8266Flasher
{
    private readonly BootloaderConnection _connection;
    private readonly FlasherOptions _options;

    public Esp8266Flasher(BootloaderConnection connection, FlasherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options ?? new FlasherOptions();
    }

    public bool IsStub => _connection.IsStub;

    /// <summary>Blocks sent again after a lost reply or a checksum error, since this flasher was made.</summary>
    public int Retries { get; private set; }

    /// <summary>Makes the flash usable: the ROM needs FLASH_BEGIN(0, 0) on the ESP8266 (it has no SPI_ATTACH).</summary>
    public async Task AttachAsync(CancellationToken cancellationToken = default)
    {
        if (!IsStub)
            await _connection.ExecuteWithRetryAsync(new FlashBeginCommand(0, 0, Esp8266.RomBlockSize, 0), _options.BlockAttempts, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the stub the flash size (SPI_SET_PARAMS); the ROM on the ESP8266 skips it.</summary>
    public async Task SetFlashSizeAsync(int bytes, CancellationToken cancellationToken = default)
    {
        if (IsStub)
            await _connection.ExecuteAsync(new SpiSetParamsCommand((uint)bytes), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Switches both ends to <paramref name="baudRate"/> (stub only; the ROM keeps the rate it detected).</summary>
    public async Task ChangeBaudRateAsync(int baudRate, CancellationToken cancellationToken = default)
    {
        if (!IsStub) throw new StubRequiredException("Changing the baud rate");
        var link = _connection.Link;
        await _connection.ExecuteAsync(new ChangeBaudRateCommand((uint)baudRate, (uint)link.BaudRate), cancellationToken).ConfigureAwait(false);
        await link.SetBaudRateAsync(baudRate, cancellationToken).ConfigureAwait(false);
        await _connection.DiscardInputAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="address"/>; compressed when the stub runs.</summary>
    public async Task<WriteResult> WriteAsync(uint address, ReadOnlyMemory<byte> data, IProgress<FlashProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (address % 4 != 0) throw new ArgumentException($"Address 0x{address:x} is not a multiple of 4.", nameof(address));
        data = PadTo4(data);
        var retriesBefore = Retries;
        var clock = Stopwatch.StartNew();
        int? compressed = null;
        if (IsStub && _options.Compress)
            compressed = await WriteCompressedAsync(address, data, progress, cancellationToken).ConfigureAwait(false);
        else
            await WritePlainAsync(address, data, progress, cancellationToken).ConfigureAwait(false);
        // The stub acknowledges a block before writing it, and a reply matched after a retry may be an earlier one:
        // a command answered after the last block proves every block was handled.
        await ChipDetector.ReadRegAsync(_connection, Esp8266.ChipDetectMagicAddress, cancellationToken).ConfigureAwait(false);
        return new WriteResult(address, data.Length, compressed, clock.Elapsed, Retries - retriesBefore);
    }

    private async Task WritePlainAsync(uint address, ReadOnlyMemory<byte> data, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        var blockSize = IsStub ? Esp8266.StubBlockSize : Esp8266.RomBlockSize;
        var blocks = (uint)((data.Length + blockSize - 1) / blockSize);
        var eraseSize = IsStub ? (uint)data.Length : EraseSize.ForRom(address, (uint)data.Length);
        progress?.Report(new FlashProgress(FlashPhase.Erasing, address, 0, data.Length));
        await _connection.ExecuteWithRetryAsync(new FlashBeginCommand(eraseSize, blocks, (uint)blockSize, address), _options.BlockAttempts, cancellationToken: cancellationToken).ConfigureAwait(false);
        var block = new byte[blockSize];
        for (var seq = 0u; seq < blocks; seq++)
        {
            var start = (int)(seq * blockSize);
            var chunk = data.Slice(start, Math.Min(blockSize, data.Length - start));
            chunk.Span.CopyTo(block);
            block.AsSpan(chunk.Length).Fill(0xFF);
            await SendBlockAsync(new FlashDataCommand(seq, block.ToArray()), cancellationToken).ConfigureAwait(false);
            progress?.Report(new FlashProgress(FlashPhase.Writing, address, start + chunk.Length, data.Length));
        }
    }

    private async Task<int> WriteCompressedAsync(uint address, ReadOnlyMemory<byte> data, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        var packed = Compress(data.Span);
        var blockSize = Esp8266.StubBlockSize;
        var blocks = (uint)((packed.Length + blockSize - 1) / blockSize);
        progress?.Report(new FlashProgress(FlashPhase.Erasing, address, 0, data.Length));
        await _connection.ExecuteWithRetryAsync(new FlashDeflBeginCommand((uint)data.Length, blocks, (uint)blockSize, address), _options.BlockAttempts, cancellationToken: cancellationToken).ConfigureAwait(false);
        var ratio = packed.Length == 0 ? 1.0 : (double)data.Length / packed.Length;
        for (var seq = 0u; seq < blocks; seq++)
        {
            var start = (int)(seq * blockSize);
            var chunk = packed.AsMemory(start, Math.Min(blockSize, packed.Length - start));
            await SendBlockAsync(new FlashDeflDataCommand(seq, chunk, (int)(chunk.Length * ratio)), cancellationToken).ConfigureAwait(false);
            var done = seq == blocks - 1 ? data.Length : (long)Math.Min(data.Length, (start + chunk.Length) * ratio);
            progress?.Report(new FlashProgress(FlashPhase.Writing, address, done, data.Length));
        }
        return packed.Length;
    }

    private Task SendBlockAsync(BootloaderCommand block, CancellationToken cancellationToken)
        => _connection.ExecuteWithRetryAsync(block, _options.BlockAttempts, (_, _) => Retries++, cancellationToken);

    /// <summary>zlib (RFC 1950) at the smallest size, as esptool compresses (level 9).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(data);
        return output.ToArray();
    }

    /// <summary>The flash region's MD5 as the stub computes it.</summary>
    public async Task<byte[]> Md5Async(uint address, uint size, CancellationToken cancellationToken = default)
    {
        if (!IsStub) throw new StubRequiredException("Hashing flash (SPI_FLASH_MD5)");
        var reply = await _connection.ExecuteWithRetryAsync(new SpiFlashMd5Command(address, size), _options.BlockAttempts, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.Body.ToArray();
    }

    /// <summary>Compares the flash's MD5 with the data's; throws <see cref="VerifyException"/> on a mismatch.</summary>
    public async Task VerifyAsync(uint address, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        data = PadTo4(data);
        var expected = MD5.HashData(data.Span);
        var actual = await Md5Async(address, (uint)data.Length, cancellationToken).ConfigureAwait(false);
        if (!expected.AsSpan().SequenceEqual(actual))
            throw new VerifyException(address, data.Length, Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual));
    }

    /// <summary>
    /// Compares the flash with data that was not just written (<c>flash verify FILE</c>); a mismatch throws
    /// <see cref="FlashDiffersException"/>, which points at writing the file rather than at the line.
    /// </summary>
    public async Task CompareAsync(uint address, ReadOnlyMemory<byte> data, string name, CancellationToken cancellationToken = default)
    {
        data = PadTo4(data);
        var expected = MD5.HashData(data.Span);
        var actual = await Md5Async(address, (uint)data.Length, cancellationToken).ConfigureAwait(false);
        if (!expected.AsSpan().SequenceEqual(actual))
            throw new FlashDiffersException(name, address, data.Length, Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual));
    }

    /// <summary>Reads flash through the stub's READ_FLASH, acknowledging each packet, and checks the closing MD5.</summary>
    public async Task<byte[]> ReadAsync(uint address, uint size, IProgress<FlashProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!IsStub) throw new StubRequiredException("Reading flash");
        const uint packetSize = 0x1000;
        await _connection.ExecuteAsync(new ReadFlashCommand(address, size, packetSize, 64), cancellationToken).ConfigureAwait(false);
        var result = new byte[size];
        var received = 0;
        var ack = new byte[4];
        while (received < size)
        {
            var frame = await _connection.ReadFrameAsync(BootloaderCommand.DefaultTimeout, cancellationToken).ConfigureAwait(false)
                ?? throw new NoReplyException(Opcode.ReadFlash, BootloaderCommand.DefaultTimeout);
            if (frame.Length > size - received || (frame.Length < packetSize && received + frame.Length < size))
                throw new FlasherException($"READ_FLASH sent a {frame.Length}-byte packet at byte {received} of {size}.", "The line garbled the stream: try a lower --baud.");
            frame.CopyTo(result, received);
            received += frame.Length;
            BinaryPrimitives.WriteUInt32LittleEndian(ack, (uint)received);
            await _connection.SendPacketAsync(ack, cancellationToken).ConfigureAwait(false);
            progress?.Report(new FlashProgress(FlashPhase.Reading, address, received, size));
        }
        var digest = await _connection.ReadFrameAsync(BootloaderCommand.DefaultTimeout, cancellationToken).ConfigureAwait(false)
            ?? throw new NoReplyException(Opcode.ReadFlash, BootloaderCommand.DefaultTimeout);
        var local = MD5.HashData(result);
        if (digest.Length != 16 || !digest.AsSpan().SequenceEqual(local))
            throw new VerifyException(address, (int)size, Convert.ToHexStringLower(local), Convert.ToHexStringLower(digest));
        return result;
    }

    /// <summary>Erases the whole chip (stub), or in ROM mode the first <paramref name="romFlashSize"/> bytes through FLASH_BEGIN.</summary>
    public async Task EraseAllAsync(int romFlashSize, CancellationToken cancellationToken = default)
    {
        if (IsStub) await _connection.ExecuteAsync(new EraseFlashCommand(), cancellationToken).ConfigureAwait(false);
        else await EraseRegionAsync(0, (uint)romFlashSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Erases a sector-aligned region: ERASE_REGION on the stub, FLASH_BEGIN with no blocks on the ROM.</summary>
    public async Task EraseRegionAsync(uint address, uint size, CancellationToken cancellationToken = default)
    {
        if (address % Esp8266.SectorSize != 0 || size % Esp8266.SectorSize != 0)
            throw new ArgumentException($"Erase regions start and end on 4 KB sectors (0x1000); 0x{address:x} + 0x{size:x} does not.");
        if (IsStub)
            await _connection.ExecuteAsync(new EraseRegionCommand(address, size), cancellationToken).ConfigureAwait(false);
        else
            await _connection.ExecuteWithRetryAsync(new FlashBeginCommand(EraseSize.ForRom(address, size), 0, Esp8266.RomBlockSize, address), _options.BlockAttempts, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves the loader as asked: a hard reset through RTS (links with modem lines), else nothing.</summary>
    public async Task FinishAsync(AfterAction after, CancellationToken cancellationToken = default)
    {
        var link = _connection.Link;
        if (after == AfterAction.HardReset && link.SupportsSignals)
            await new HardReset().ResetAsync(link, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the loader to run the application from flash (esptool's soft reset): FLASH_BEGIN(0, 0) then FLASH_END(reboot).</summary>
    public async Task RunUserCodeAsync(CancellationToken cancellationToken = default)
    {
        await _connection.ExecuteAsync(new FlashBeginCommand(0, 0, (uint)(IsStub ? Esp8266.StubBlockSize : Esp8266.RomBlockSize), 0), cancellationToken).ConfigureAwait(false);
        await _connection.SendAsync(new FlashEndCommand(Reboot: true), cancellationToken).ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte> PadTo4(ReadOnlyMemory<byte> data)
    {
        if (data.Length % 4 == 0) return data;
        var padded = new byte[(data.Length + 3) / 4 * 4];
        data.Span.CopyTo(padded);
        padded.AsSpan(data.Length).Fill(0xFF);
        return padded;
    }
}
