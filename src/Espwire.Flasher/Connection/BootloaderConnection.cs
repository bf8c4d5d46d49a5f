using Espwire.Protocol.Rom;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Errors;
using Espwire.Flasher.Protocol;
using Espwire.Ports;

namespace Espwire.Flasher.Connection;

/// <summary>
/// Commands and replies over a device link: writes SLIP-framed requests and reads frames until one answers the
/// command (strict reading: at most <see cref="MaxFramesPerReply"/> frames, within the command's timeout).
/// </summary>
public sealed class BootloaderConnection
{
    /// <summary>esptool reads up to 100 frames looking for the reply to a command.</summary>
    public const int MaxFramesPerReply = 100;

    private readonly FrameReader _reader;

    public BootloaderConnection(IDeviceLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        Link = link;
        _reader = new FrameReader(link.Stream, 0x11000);
    }

    public IDeviceLink Link { get; }

    /// <summary>True once a flasher stub runs; its replies and errors differ from the ROM's.</summary>
    public bool IsStub { get; internal set; }

    /// <summary>Scales every command timeout (slow adapters, emulators paced at low baud).</summary>
    public double TimeoutScale { get; set; } = 1.0;

    /// <summary>Bytes seen outside frames so far: boot logs, noise.</summary>
    public long NoiseBytes => _reader.Decoder.NoiseBytes;

    /// <summary>The last bytes seen outside frames, for error messages.</summary>
    public string NoiseText => _reader.Decoder.NoiseText;

    /// <summary>Frames that were not a reply to the command being waited for (stale replies, malformed frames).</summary>
    public int SkippedFrames { get; private set; }

    /// <summary>Frames that were our own requests coming back: something echoes (AT firmware with ATE1), not the ROM.</summary>
    public int EchoedFrames { get; private set; }

    /// <summary>Sends a command and returns its successful reply; throws a typed error otherwise.</summary>
    public async Task<ResponsePacket> ExecuteAsync(BootloaderCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await SendAsync(command, cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Like <see cref="ExecuteAsync"/>, but a lost or garbled reply, or a checksum error, sends the command again,
    /// up to <paramref name="attempts"/> times. Only for commands that are safe to repeat.
    /// </summary>
    public async Task<ResponsePacket> ExecuteWithRetryAsync(BootloaderCommand command, int attempts, Action<int, FlasherException>? onRetry = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
            }
            catch (FlasherException e) when (attempt < attempts && IsRetryable(e))
            {
                onRetry?.Invoke(attempt, e);
                await DiscardInputAsync(cancellationToken).ConfigureAwait(false);
                if (e is NoReplyException) await ResyncAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// After a timeout the first attempt's reply may still be on its way; taken for the retry's, every later reply
    /// would be matched to the wrong command (a success acknowledging a block that failed). The device answers in
    /// order, so once a READ_REG answers, every earlier reply has arrived and is dropped here.
    /// </summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(new ReadRegCommand(Chip.Esp8266.ChipDetectMagicAddress), cancellationToken).ConfigureAwait(false);
        }
        catch (NoReplyException)
        {
            // The device may be gone; the retry will say so.
        }
        catch (DeviceErrorException)
        {
        }
    }

    private static bool IsRetryable(FlasherException e) => e switch
    {
        NoReplyException => true,
        DeviceErrorException d => d.Error is DeviceErrorCode.BadChecksum or DeviceErrorCode.StubBadChecksum or DeviceErrorCode.StubBadDataLength,
        _ => false,
    };

    /// <summary>Writes a command without waiting for its reply.</summary>
    public async Task SendAsync(BootloaderCommand command, CancellationToken cancellationToken = default)
    {
        await SendPacketAsync(CommandPacket.Encode(command), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one packet in a SLIP frame (READ_FLASH acknowledgements are bare frames).</summary>
    public async Task SendPacketAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default)
    {
        var frame = Slip.Encode(packet.Span);
        try
        {
            await Link.Stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await Link.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new LinkClosedException(Link.Name + $" ({e.Message})");
        }
        catch (ObjectDisposedException)
        {
            throw new LinkClosedException(Link.Name);
        }
    }

    /// <summary>Reads frames until the reply to <paramref name="command"/> arrives.</summary>
    public async Task<ResponsePacket> ReadReplyAsync(BootloaderCommand command, CancellationToken cancellationToken = default)
    {
        var timeout = command.Timeout * TimeoutScale;
        var deadline = DateTime.UtcNow + timeout;
        for (var i = 0; i < MaxFramesPerReply; i++)
        {
            var remaining = deadline - DateTime.UtcNow;
            var frame = remaining > TimeSpan.Zero ? await ReadFrameCoreAsync(remaining, cancellationToken).ConfigureAwait(false) : null;
            if (frame is null) throw new NoReplyException(command.Opcode, timeout, NoiseText.Trim('.', ' '));
            if (!ResponsePacket.TryParse(frame, out var reply) || reply!.Opcode != command.Opcode)
            {
                SkippedFrames++;
                if (frame.Length >= CommandPacket.HeaderLength && frame[0] == CommandPacket.Direction && frame[1] == (byte)command.Opcode) EchoedFrames++;
                continue;
            }
            if (!reply.Succeeded && reply.Data.Length >= ResponsePacket.StatusLength)
                throw new DeviceErrorException(command.Opcode, reply.Error, IsStub);
            if (reply.Data.Length != command.ReplyDataLength + ResponsePacket.StatusLength)
            {
                // Right opcode, wrong shape: a damaged frame. Keep looking; the deadline bounds the wait.
                SkippedFrames++;
                continue;
            }
            return reply;
        }
        throw new FlasherException(
            $"{command.Opcode}: {MaxFramesPerReply} frames arrived and none answered the command.",
            "Something else is talking on the line (a running application, another program on the port). Reset into download mode and try again.");
    }

    /// <summary>Reads one raw frame (the stub's OHAI, READ_FLASH data); null on timeout.</summary>
    public Task<byte[]?> ReadFrameAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => ReadFrameCoreAsync(timeout * TimeoutScale, cancellationToken);

    private async Task<byte[]?> ReadFrameCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.ReadAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new LinkClosedException(Link.Name);
        }
        catch (IOException e)
        {
            throw new LinkClosedException(Link.Name + $" ({e.Message})");
        }
        catch (ObjectDisposedException)
        {
            throw new LinkClosedException(Link.Name);
        }
    }

    /// <summary>Drops frames and bytes received but not yet read.</summary>
    public async Task DiscardInputAsync(CancellationToken cancellationToken = default)
    {
        _reader.DiscardDecoded();
        await Link.DiscardInputAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and drops frames until the line is quiet for <paramref name="quiet"/> (e.g. the 7 extra SYNC replies).</summary>
    public async Task<int> DrainAsync(TimeSpan quiet, int maxFrames, CancellationToken cancellationToken = default)
    {
        var n = 0;
        while (n < maxFrames && await ReadFrameCoreAsync(quiet, cancellationToken).ConfigureAwait(false) is not null) n++;
        return n;
    }
}
