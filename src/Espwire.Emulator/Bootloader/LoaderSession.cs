using Espwire.Protocol.Rom;
using System.Buffers.Binary;

namespace Espwire.Emulator.Bootloader;

/// <summary>One run of the download mode, from reset to exit: the frame loop and the state a reset clears.</summary>
internal sealed partial class LoaderSession
{
    private static readonly byte[] SyncPattern = [0x07, 0x07, 0x12, 0x20, .. Enumerable.Repeat((byte)0x55, 32)];
    private const uint RomSyncValue = 0x20120707;

    private readonly RomBootloader _owner;
    private readonly IModuleUart _uart;
    private readonly ErrorInjector _injector;
    private readonly DeviceSlip _slip;
    private readonly ChipRegisters _registers;
    private readonly FlashTiming _timing;
    private FlashWriteSession? _write;
    private int _memSegments;
    private uint _memExpectedBlocks;
    private uint _memNextSequence;

    public LoaderSession(RomBootloader owner, IModuleUart uart, ErrorInjector injector, FlashTiming timing)
    {
        _timing = timing;
        _owner = owner;
        _uart = uart;
        _injector = injector;
        _slip = new DeviceSlip(uart.Input, owner.Options.MaxFrameLength);
        _registers = new ChipRegisters(owner.Options, owner.Flash.Size);
    }

    private VirtualFlash Flash => _owner.Flash;
    private BootloaderStats Stats => _owner.Stats;
    private bool InStub => _owner.Mode == LoaderMode.Stub;

    public async Task<LoaderExit> RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            byte[]? frame;
            try
            {
                frame = await _slip.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return LoaderExit.HostClosed;
            }
            if (frame is null) return LoaderExit.HostClosed;
            var request = LoaderRequest.TryParse(frame);
            if (request is null) continue; // the ROM ignores frames it cannot parse
            Stats.Commands++;
            var fault = _injector.Next(request.Opcode);
            if (fault == InjectedFault.CorruptBlock && request.Data.Length > 16)
            {
                var damaged = (byte[])request.Data.Clone();
                damaged[16 + (damaged.Length - 16) / 2] ^= 0x20;
                request = request with { Data = damaged };
                Stats.CorruptedBlocks++;
            }
            var exit = InStub
                ? await HandleStubAsync(request, fault, cancellationToken).ConfigureAwait(false)
                : await HandleRomAsync(request, fault, cancellationToken).ConfigureAwait(false);
            if (exit is { } e) return e;
        }
    }

    private async Task SendAsync(byte[] packet, InjectedFault fault, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case InjectedFault.DropReply:
                Stats.DroppedReplies++;
                return;
            case InjectedFault.TruncateReply:
                Stats.TruncatedReplies++;
                packet = packet[..^3];
                break;
        }
        await _uart.WriteAsync(Slip.Encode(packet), cancellationToken).ConfigureAwait(false);
    }

    private Task SendRawFrameAsync(ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
        => _uart.WriteAsync(Slip.Encode(payload), cancellationToken).AsTask();

    private bool ChecksumOk(LoaderRequest request)
    {
        var ok = request.BlockLengthMatches && Checksum.Compute(request.Block) == (byte)request.Checksum;
        if (!ok) Stats.BadChecksums++;
        return ok;
    }

    /// <summary>Commands the ROM and the stub answer the same way.</summary>
    private byte[]? HandleRegister(LoaderRequest request)
    {
        switch (request.Opcode)
        {
            case Opcode.ReadReg when request.Word(0) is { } address:
                return LoaderReply.Ok(request.Opcode, _registers.Read(address, _uart.BaudRate));
            case Opcode.WriteReg when request.Word(3) is not null:
                _registers.Write(request.Word(0)!.Value, request.Word(1)!.Value, request.Word(2)!.Value);
                return LoaderReply.Ok(request.Opcode);
            default:
                return null;
        }
    }

    private static uint Le(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
