using Espwire.Protocol.Rom;
namespace Espwire.Emulator.Bootloader;

/// <summary>The ESP8266 mask ROM: commands 0x02-0x0A only, 8 SYNC replies, and its FLASH_BEGIN erase-size bug.</summary>
internal sealed partial class LoaderSession
{
    private async Task<LoaderExit?> HandleRomAsync(LoaderRequest request, InjectedFault fault, CancellationToken cancellationToken)
    {
        if (HandleRegister(request) is { } registerReply)
        {
            await SendAsync(registerReply, fault, cancellationToken).ConfigureAwait(false);
            return null;
        }
        switch (request.Opcode)
        {
            case Opcode.Sync:
                if (!request.Data.AsSpan().SequenceEqual(SyncPattern)) return null;
                // The ROM answers one SYNC eight times; flashers must drain the extra seven.
                for (var i = 0; i < 8; i++)
                    await SendAsync(LoaderReply.Ok(request.Opcode, RomSyncValue), i == 0 ? fault : InjectedFault.None, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.FlashBegin when request.Word(3) is not null:
                var beginReply = RomFlashBegin(request.Word(0)!.Value, request.Word(1)!.Value, request.Word(2)!.Value, request.Word(3)!.Value);
                await _timing.WaitIdleAsync(cancellationToken).ConfigureAwait(false); // the ROM erases before it answers
                await SendAsync(beginReply, fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.FlashData:
                var dataReply = RomFlashData(request);
                await _timing.WaitIdleAsync(cancellationToken).ConfigureAwait(false); // and programs before it answers
                await SendAsync(dataReply, fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.FlashEnd:
                await SendAsync(LoaderReply.Ok(request.Opcode), fault, cancellationToken).ConfigureAwait(false);
                _write = null;
                return request.Word(0) == 0 ? LoaderExit.RunUserCode : null;

            case Opcode.MemBegin when request.Word(3) is not null:
                _memExpectedBlocks = request.Word(1)!.Value;
                _memNextSequence = 0;
                await SendAsync(LoaderReply.Ok(request.Opcode), fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.MemData:
                byte[] memReply;
                if (!ChecksumOk(request)) memReply = LoaderReply.Fail(request.Opcode, DeviceErrorCode.BadChecksum);
                else
                {
                    var seq = request.Word(1)!.Value;
                    if (seq == _memNextSequence) _memNextSequence++;
                    if (_memNextSequence == _memExpectedBlocks) _memSegments++;
                    memReply = LoaderReply.Ok(request.Opcode);
                }
                await SendAsync(memReply, fault, cancellationToken).ConfigureAwait(false);
                return null;

            case Opcode.MemEnd when request.Word(1) is not null:
                await SendAsync(LoaderReply.Ok(request.Opcode), fault, cancellationToken).ConfigureAwait(false);
                if (request.Word(0) == 0 && request.Word(1) != 0 && _memSegments > 0)
                {
                    // The ROM jumps to the entry point after its reply; the stub announces itself.
                    _owner.EnterStub();
                    _write = null;
                    await SendRawFrameAsync("OHAI"u8, cancellationToken).ConfigureAwait(false);
                }
                return null;

            default:
                // GET_SECURITY_INFO, SPI_ATTACH, the compressed and stub-only commands: the ESP8266 ROM lacks them.
                Stats.UnknownCommands++;
                await SendAsync(LoaderReply.Fail(request.Opcode, DeviceErrorCode.InvalidMessage), fault, cancellationToken).ConfigureAwait(false);
                return null;
        }
    }

    private byte[] RomFlashBegin(uint eraseSize, uint blocks, uint blockSize, uint offset)
    {
        if (eraseSize == 0 && blocks == 0)
        {
            _write = new FlashWriteSession(Flash, offset, 0, 0, blockSize, compressed: false); // esptool's "attach"
            return LoaderReply.Ok(Opcode.FlashBegin);
        }
        if (blockSize == 0 || blockSize > 0x4000 || offset >= Flash.Size || (long)blocks * blockSize > Flash.Size - offset)
            return LoaderReply.Fail(Opcode.FlashBegin, DeviceErrorCode.FailedToAct);
        var requested = (int)((eraseSize + VirtualFlash.SectorSize - 1) / VirtualFlash.SectorSize);
        var first = (int)(offset / VirtualFlash.SectorSize);
        // The ROM's bug: it also counts the sectors up to the next 64 KB boundary, erasing up to twice the request.
        var head = Math.Min(16 - first % 16, requested);
        Flash.EraseSectors(first, requested + head);
        _timing.ChargeErase(first, requested + head);
        _write = new FlashWriteSession(Flash, offset, eraseSize, blocks, blockSize, compressed: false);
        return LoaderReply.Ok(Opcode.FlashBegin);
    }

    private byte[] RomFlashData(LoaderRequest request)
    {
        if (_write is null || _write.Compressed) return LoaderReply.Fail(request.Opcode, DeviceErrorCode.FailedToAct);
        if (!ChecksumOk(request)) return LoaderReply.Fail(request.Opcode, DeviceErrorCode.BadChecksum);
        if (request.Block.Length != _write.BlockSize) return LoaderReply.Fail(request.Opcode, DeviceErrorCode.InvalidMessage);
        var error = _write.WriteAtSequence(request.Word(1)!.Value, request.Block);
        if (error == DeviceErrorCode.None) _timing.ChargeProgram(request.Block.Length);
        return error == DeviceErrorCode.None ? LoaderReply.Ok(request.Opcode) : LoaderReply.Fail(request.Opcode, error);
    }
}
