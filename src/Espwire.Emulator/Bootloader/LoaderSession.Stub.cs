using Espwire.Protocol.Rom;
using System.Buffers.Binary;

namespace Espwire.Emulator.Bootloader;

/// <summary>The flasher stub's commands, answered as esptool's stub answers them (it is never executed).</summary>
internal sealed partial class LoaderSession
{
    private async Task<LoaderExit?> HandleStubAsync(LoaderRequest request, InjectedFault fault, CancellationToken cancellationToken)
    {
        // The stub acknowledges a block, then writes it; the next command waits for the flash.
        await _timing.WaitIdleAsync(cancellationToken).ConfigureAwait(false);
        if (HandleRegister(request) is { } registerReply)
        {
            await SendAsync(registerReply, fault, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var op = request.Opcode;
        switch (op)
        {
            case Opcode.Sync:
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.SpiSetParams or Opcode.SpiAttach:
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.FlashBegin or Opcode.FlashDeflBegin when request.Word(3) is not null:
                await SendAsync(StubBegin(op, request.Word(0)!.Value, request.Word(1)!.Value, request.Word(2)!.Value, request.Word(3)!.Value), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.FlashData or Opcode.FlashDeflData:
                await SendAsync(StubData(request), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.FlashEnd or Opcode.FlashDeflEnd:
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                _write = null;
                return request.Word(0) == 0 ? LoaderExit.RunUserCode : null;

            case Opcode.SpiFlashMd5 when request.Word(1) is not null:
                var (address, size) = (request.Word(0)!.Value, request.Word(1)!.Value);
                if (Flash.Contains(address, size))
                {
                    _timing.ChargeHash(size);
                    await _timing.WaitIdleAsync(cancellationToken).ConfigureAwait(false);
                }
                var md5Reply = Flash.Contains(address, size)
                    ? LoaderReply.Ok(op, 0, Flash.Md5((int)address, (int)size))
                    : LoaderReply.Fail(op, DeviceErrorCode.StubBadDataLength);
                await SendAsync(md5Reply, fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.ChangeBaudRate when request.Word(0) is { } baud and > 0:
                // Answer at the old rate, then switch.
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                _uart.BaudRate = (int)baud;
                return null;

            case Opcode.EraseFlash:
                Flash.EraseSectors(0, Flash.Size / VirtualFlash.SectorSize);
                _timing.ChargeErase(0, Flash.Size / VirtualFlash.SectorSize);
                await _timing.WaitIdleAsync(cancellationToken).ConfigureAwait(false);
                await SendAsync(LoaderReply.Ok(op), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.EraseRegion when request.Word(1) is not null:
                var (offset, length) = (request.Word(0)!.Value, request.Word(1)!.Value);
                byte[] eraseReply;
                if (offset % VirtualFlash.SectorSize != 0 || length % VirtualFlash.SectorSize != 0 || !Flash.Contains(offset, length))
                    eraseReply = LoaderReply.Fail(op, DeviceErrorCode.StubBadDataLength);
                else
                {
                    Flash.EraseSectors((int)(offset / VirtualFlash.SectorSize), (int)(length / VirtualFlash.SectorSize));
                    _timing.ChargeErase((int)(offset / VirtualFlash.SectorSize), (int)(length / VirtualFlash.SectorSize));
                    eraseReply = LoaderReply.Ok(op);
                }
                await SendAsync(eraseReply, fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.ReadFlash when request.Word(3) is not null:
                return await StubReadFlashAsync(request, cancellationToken).ConfigureAwait(false);

            case Opcode.RunUserCode:
                return LoaderExit.RunUserCode;

            default:
                Stats.UnknownCommands++;
                await SendAsync(LoaderReply.Fail(op, DeviceErrorCode.StubNotImplemented), fault, cancellationToken).ConfigureAwait(false);
                return null;
        }
    }

    private byte[] StubBegin(Opcode op, uint size, uint blocks, uint blockSize, uint offset)
    {
        if (blockSize == 0 || blockSize > 0x4000 || offset % VirtualFlash.SectorSize != 0 || !Flash.Contains(offset, size))
            return LoaderReply.Fail(op, DeviceErrorCode.StubBadDataLength);
        var sectors = (int)((size + VirtualFlash.SectorSize - 1) / VirtualFlash.SectorSize);
        Flash.EraseSectors((int)(offset / VirtualFlash.SectorSize), sectors);
        // The stub erases sector by sector as data arrives; charging it here keeps the total honest.
        _timing.ChargeErase((int)(offset / VirtualFlash.SectorSize), sectors);
        _write = new FlashWriteSession(Flash, offset, size, blocks, blockSize, compressed: op == Opcode.FlashDeflBegin);
        return LoaderReply.Ok(op);
    }

    private byte[] StubData(LoaderRequest request)
    {
        var op = request.Opcode;
        var compressed = op == Opcode.FlashDeflData;
        if (_write is null || _write.Compressed != compressed) return LoaderReply.Fail(op, DeviceErrorCode.StubNotInFlashMode);
        if (!request.BlockLengthMatches) return LoaderReply.Fail(op, DeviceErrorCode.StubBadDataLength);
        if (!ChecksumOk(request)) return LoaderReply.Fail(op, DeviceErrorCode.StubBadChecksum);
        var before = _write.Written;
        var error = _write.WriteNext(request.Word(1)!.Value, request.Block, out var duplicate);
        if (duplicate) Stats.DuplicateBlocks++;
        _timing.ChargeProgram((int)(_write.Written - before));
        return error == DeviceErrorCode.None ? LoaderReply.Ok(op) : LoaderReply.Fail(op, error);
    }

    /// <summary>READ_FLASH: reply, then data frames with at most max-in-flight unacknowledged, then the MD5 frame.</summary>
    private async Task<LoaderExit?> StubReadFlashAsync(LoaderRequest request, CancellationToken cancellationToken)
    {
        var (offset, length, packet, inFlight) = (request.Word(0)!.Value, request.Word(1)!.Value, request.Word(2)!.Value, request.Word(3)!.Value);
        if (!Flash.Contains(offset, length) || packet is 0 or > 0x4000 || inFlight == 0)
        {
            await SendAsync(LoaderReply.Fail(request.Opcode, DeviceErrorCode.StubBadDataLength), InjectedFault.None, cancellationToken).ConfigureAwait(false);
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
