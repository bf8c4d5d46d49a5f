using System.Buffers.Binary;

namespace Espwire.Emulator.Bootloader;

/// <summary>The flasher stub's commands, answered as esptool's stub answers them (it is never executed).</summary>
internal sealed partial class LoaderSession
{
    private async Task<LoaderExit?> HandleStubAsync(LoaderRequest request, InjectedFault fault, CancellationToken cancellationToken)
    {
        if (HandleRegister(request) is { } registerReply)
        {
            await SendAsync(registerReply, fault, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var op = request.Opcode;
        switch (op)
        {
            case LoaderOpcode.Sync:
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case LoaderOpcode.SpiSetParams or LoaderOpcode.SpiAttach:
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case LoaderOpcode.FlashBegin or LoaderOpcode.FlashDeflBegin when request.Word(3) is not null:
                await SendAsync(StubBegin(op, request.Word(0)!.Value, request.Word(1)!.Value, request.Word(2)!.Value, request.Word(3)!.Value), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case LoaderOpcode.FlashData or LoaderOpcode.FlashDeflData:
                await SendAsync(StubData(request), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case LoaderOpcode.FlashEnd or LoaderOpcode.FlashDeflEnd:
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                _write = null;
                return request.Word(0) == 0 ? LoaderExit.RunUserCode : null;

            case LoaderOpcode.SpiFlashMd5 when request.Word(1) is not null:
                var (address, size) = (request.Word(0)!.Value, request.Word(1)!.Value);
                var md5Reply = Flash.Contains(address, size)
                    ? LoaderReply.Ok(op, 0, Flash.Md5((int)address, (int)size))
                    : LoaderReply.Fail(op, LoaderError.StubBadDataLength);
                await SendAsync(md5Reply, fault, cancellationToken).ConfigureAwait(false);
                return null;

            case LoaderOpcode.ChangeBaudRate when request.Word(0) is { } baud and > 0:
                // Answer at the old rate, then switch.
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                _uart.BaudRate = (int)baud;
                return null;

            case LoaderOpcode.EraseFlash:
                Flash.EraseSectors(0, Flash.Size / VirtualFlash.SectorSize);
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case LoaderOpcode.EraseRegion when request.Word(1) is not null:
                var (offset, length) = (request.Word(0)!.Value, request.Word(1)!.Value);
                byte[] eraseReply;
                if (offset % VirtualFlash.SectorSize != 0 || length % VirtualFlash.SectorSize != 0 || !Flash.Contains(offset, length))
                    eraseReply = LoaderReply.Fail(op, LoaderError.StubBadDataLength);
                else
                {
                    Flash.EraseSectors((int)(offset / VirtualFlash.SectorSize), (int)(length / VirtualFlash.SectorSize));
                    eraseReply = LoaderReply.Ok(op);
                }
                await SendAsync(eraseReply, fault, cancellationToken).ConfigureAwait(false);
                return null;

            case LoaderOpcode.ReadFlash when request.Word(3) is not null:
                return await StubReadFlashAsync(request, cancellationToken).ConfigureAwait(false);

            case LoaderOpcode.RunUserCode:
                return LoaderExit.RunUserCode;

            default:
                Stats.UnknownCommands++;
                await SendAsync(LoaderReply.Fail(op, LoaderError.StubNotImplemented), fault, cancellationToken).ConfigureAwait(false);
                return null;
        }
    }

    private byte[] StubBegin(LoaderOpcode op, uint size, uint blocks, uint blockSize, uint offset)
    {
        if (blockSize == 0 || blockSize > 0x4000 || offset % VirtualFlash.SectorSize != 0 || !Flash.Contains(offset, size))
            return LoaderReply.Fail(op, LoaderError.StubBadDataLength);
        var sectors = (int)((size + VirtualFlash.SectorSize - 1) / VirtualFlash.SectorSize);
        Flash.EraseSectors((int)(offset / VirtualFlash.SectorSize), sectors);
        _write = new FlashWriteSession(Flash, offset, size, blocks, blockSize, compressed: op == LoaderOpcode.FlashDeflBegin);
        return LoaderReply.Ok(op);
    }

    private byte[] StubData(LoaderRequest request)
    {
        var op = request.Opcode;
        var compressed = op == LoaderOpcode.FlashDeflData;
        if (_write is null || _write.Compressed != compressed) return LoaderReply.Fail(op, LoaderError.StubNotInFlashMode);
        if (!request.BlockLengthMatches) return LoaderReply.Fail(op, LoaderError.StubBadDataLength);
        if (!ChecksumOk(request)) return LoaderReply.Fail(op, LoaderError.StubBadChecksum);
        var error = _write.WriteNext(request.Word(1)!.Value, request.Block, out var duplicate);
        if (duplicate) Stats.DuplicateBlocks++;
        return error == LoaderError.None ? LoaderReply.Ok(op) : LoaderReply.Fail(op, error);
    }

    /// <summary>READ_FLASH: reply, then data frames with at most max-in-flight unacknowledged, then the MD5 frame.</summary>
    private async Task<LoaderExit?> StubReadFlashAsync(LoaderRequest request, CancellationToken cancellationToken)
    {
        var (offset, length, packet, inFlight) = (request.Word(0)!.Value, request.Word(1)!.Value, request.Word(2)!.Value, request.Word(3)!.Value);
        if (!Flash.Contains(offset, length) || packet is 0 or > 0x4000 || inFlight == 0)
        {
            await SendAsync(LoaderReply.Fail(request.Opcode, LoaderError.StubBadDataLength), InjectedFault.None, cancellationToken).ConfigureAwait(false);
            return null;
        }
        await SendAsync(LoaderReply.Ok(request.Opcode), InjectedFault.None, cancellationToken).ConfigureAwait(false);
        long sent = 0, acked = 0;
        while (acked < length)
        {
            while (sent < length && sent - acked < (long)inFlight * packet)
            {
                var n = (int)Math.Min(packet, length - sent);
                await SendRawFrameAsync(Flash.Read((int)(offset + sent), n), cancellationToken).ConfigureAwait(false);
                sent += n;
            }
            var ack = await _slip.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            if (ack is null) return LoaderExit.HostClosed;
            if (ack.Length == 4) acked = Math.Max(acked, BinaryPrimitives.ReadUInt32LittleEndian(ack));
        }
        await SendRawFrameAsync(Flash.Md5((int)offset, (int)length), cancellationToken).ConfigureAwait(false);
        return null;
    }
}
