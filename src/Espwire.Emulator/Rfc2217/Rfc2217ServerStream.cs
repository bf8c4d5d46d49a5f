using System.Buffers.Binary;
using Espwire.Ports;

namespace Espwire.Emulator.Rfc2217;

/// <summary>
/// The module's side of one RFC 2217 connection as a plain data stream: reads strip telnet commands (acting on
/// them), writes double 0xFF. Answers are queued while decoding and sent before the read returns.
/// </summary>
internal sealed class Rfc2217ServerStream : Stream
{
    private readonly Stream _inner;
    private readonly VirtualModule _module;
    private readonly Rfc2217Decoder _decoder = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly List<byte> _answers = new();
    private readonly HashSet<(byte, byte)> _answered = new();
    private readonly byte[] _raw = new byte[16 * 1024];
    private readonly Lock _lines = new();
    private bool _dtr;
    private bool _rts;
    private (bool Dtr, bool Rts) _applied;
    private long _pendingGeneration;

    /// <summary>
    /// How long "both asserted" right after "EN held low" waits for the next line change. pyserial's RFC 2217 client
    /// waits about 50 ms for each SET-CONTROL answer, so DTR and RTS that a local port flips within microseconds
    /// (classic reset: DTR on, then RTS off) arrive tens of milliseconds apart; the board's EN capacitor would have
    /// seen them together. esptool's own esp_rfc2217_server compensates for the same effect.
    /// </summary>
    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(200);

    public Rfc2217ServerStream(Stream inner, VirtualModule module)
    {
        _inner = inner;
        _module = module;
        _decoder.Negotiation += OnNegotiation;
        _decoder.Subnegotiation += OnSubnegotiation;
    }

    /// <summary>Offers what this server does, so clients that wait for the server to speak first proceed.</summary>
    public Task GreetAsync(CancellationToken ct)
    {
        _answered.Add((Rfc2217Protocol.Do, Rfc2217Protocol.OptionComPort));
        return WriteRawAsync(Rfc2217Decoder.Negotiate(Rfc2217Protocol.Do, Rfc2217Protocol.OptionComPort), ct);
    }

    private void OnNegotiation(byte verb, byte option)
    {
        byte? reply = verb switch
        {
            Rfc2217Protocol.Will => option is Rfc2217Protocol.OptionBinary or Rfc2217Protocol.OptionSuppressGoAhead or Rfc2217Protocol.OptionComPort
                ? Rfc2217Protocol.Do : Rfc2217Protocol.Dont,
            Rfc2217Protocol.Do => option is Rfc2217Protocol.OptionBinary or Rfc2217Protocol.OptionSuppressGoAhead
                ? Rfc2217Protocol.Will : Rfc2217Protocol.Wont,
            _ => null, // WONT/DONT need no answer
        };
        // Answer each (verb, option) once: telnet negotiation loops are the classic bug.
        if (reply is { } r && _answered.Add((r, option))) _answers.AddRange(Rfc2217Decoder.Negotiate(r, option));
    }

    private void OnSubnegotiation(byte option, byte[] payload)
    {
        if (option != Rfc2217Protocol.OptionComPort || payload.Length == 0) return;
        var command = (Rfc2217Command)payload[0];
        var value = payload.AsSpan(1);
        byte[] answer = value.ToArray();
        switch (command)
        {
            case Rfc2217Command.SetBaudRate when value.Length == 4:
                var baud = BinaryPrimitives.ReadUInt32BigEndian(value);
                if (baud is >= 300 and <= 4_608_000) _module.BaudRate = (int)baud;
                BinaryPrimitives.WriteUInt32BigEndian(answer, (uint)_module.BaudRate);
                break;
            case Rfc2217Command.SetDataSize when value.Length == 1:
                answer = [8];
                break;
            case Rfc2217Command.SetParity or Rfc2217Command.SetStopSize when value.Length == 1:
                answer = [1];
                break;
            case Rfc2217Command.SetControl when value.Length == 1:
                answer = [Control(value[0])];
                break;
        }
        _answers.AddRange(Rfc2217Decoder.ComPortCommand((byte)((byte)command + Rfc2217Protocol.ServerOffset), answer));
    }

    private byte Control(byte value)
    {
        switch (value)
        {
            case Rfc2217Control.DtrOn: _dtr = true; break;
            case Rfc2217Control.DtrOff: _dtr = false; break;
            case Rfc2217Control.RtsOn: _rts = true; break;
            case Rfc2217Control.RtsOff: _rts = false; break;
            case 7: return _dtr ? Rfc2217Control.DtrOn : Rfc2217Control.DtrOff;   // DTR state request
            case 10: return _rts ? Rfc2217Control.RtsOn : Rfc2217Control.RtsOff;  // RTS state request
            case 0: return 1;                                                     // flow control request: none
            default: return value;
        }
        ApplyLines();
        return value;
    }

    private void ApplyLines()
    {
        lock (_lines)
        {
            var next = (_dtr, _rts);
            var generation = ++_pendingGeneration;
            if (next == (true, true) && _applied == (false, true))
            {
                // Leaving reset with both asserted: hold EN low a little longer in case RTS is released next.
                _ = Task.Delay(CoalesceWindow).ContinueWith(_ => ApplyIfStill(generation), TaskScheduler.Default);
                return;
            }
            _applied = next;
            _module.SetModemLines(next.Item1, next.Item2);
        }
    }

    private void ApplyIfStill(long generation)
    {
        lock (_lines)
        {
            if (generation != _pendingGeneration) return;
            _applied = (_dtr, _rts);
            _module.SetModemLines(_dtr, _rts);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            var n = await _inner.ReadAsync(_raw.AsMemory(0, Math.Min(buffer.Length, _raw.Length)), cancellationToken).ConfigureAwait(false);
            if (n == 0) return 0;
            var data = _decoder.Decode(_raw.AsSpan(0, n), buffer.Span);
            if (_answers.Count > 0)
            {
                var answers = _answers.ToArray();
                _answers.Clear();
                await WriteRawAsync(answers, cancellationToken).ConfigureAwait(false);
            }
            if (data > 0) return data;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    private async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _inner.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => await WriteRawAsync(Rfc2217Decoder.Escape(buffer.Span), cancellationToken).ConfigureAwait(false);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override void Flush() => _inner.Flush();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _writeGate.Dispose();
        base.Dispose(disposing);
    }
}
