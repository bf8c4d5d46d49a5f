namespace Espwire.Ports;

/// <summary>
/// Splits a telnet byte stream into data (with IAC IAC unescaped) and commands: option negotiation and
/// subnegotiations. Fragments of any size; subnegotiations are bounded and an over-long one is dropped.
/// </summary>
public sealed class Rfc2217Decoder
{
    private enum State { Data, Iac, Negotiate, Sub, SubIac }

    private readonly List<byte> _sub = new();
    private State _state;
    private byte _verb;
    private bool _subTooLong;

    /// <summary>A WILL/WONT/DO/DONT arrived for an option.</summary>
    public event Action<byte, byte>? Negotiation;

    /// <summary>A subnegotiation arrived: option, then its payload.</summary>
    public event Action<byte, byte[]>? Subnegotiation;

    /// <summary>Subnegotiations dropped for being too long.</summary>
    public int DroppedSubnegotiations { get; private set; }

    /// <summary>Decodes <paramref name="input"/>; data bytes go to <paramref name="data"/> (at most input's length). Returns the data count.</summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> data)
    {
        var n = 0;
        foreach (var b in input)
        {
            switch (_state)
            {
                case State.Data:
                    if (b == Rfc2217Protocol.Iac) _state = State.Iac;
                    else data[n++] = b;
                    break;
                case State.Iac:
                    switch (b)
                    {
                        case Rfc2217Protocol.Iac: data[n++] = b; _state = State.Data; break;
                        case Rfc2217Protocol.Will or Rfc2217Protocol.Wont or Rfc2217Protocol.Do or Rfc2217Protocol.Dont:
                            _verb = b; _state = State.Negotiate; break;
                        case Rfc2217Protocol.Sb: _sub.Clear(); _subTooLong = false; _state = State.Sub; break;
                        default: _state = State.Data; break; // NOP, GA, BRK...: nothing to do for a serial link
                    }
                    break;
                case State.Negotiate:
                    Negotiation?.Invoke(_verb, b);
                    _state = State.Data;
                    break;
                case State.Sub:
                    if (b == Rfc2217Protocol.Iac) _state = State.SubIac;
                    else AddSub(b);
                    break;
                case State.SubIac:
                    if (b == Rfc2217Protocol.Iac) { AddSub(b); _state = State.Sub; }
                    else if (b == Rfc2217Protocol.Se)
                    {
                        if (_subTooLong) DroppedSubnegotiations++;
                        else if (_sub.Count > 0) Subnegotiation?.Invoke(_sub[0], _sub.Skip(1).ToArray());
                        _state = State.Data;
                    }
                    else _state = State.Data; // a broken subnegotiation: drop it
                    break;
            }
        }
        return n;
    }

    private void AddSub(byte b)
    {
        if (_sub.Count >= Rfc2217Protocol.MaxSubnegotiation) _subTooLong = true;
        else _sub.Add(b);
    }

    /// <summary>Escapes data for the wire: every 0xFF becomes FF FF.</summary>
    public static byte[] Escape(ReadOnlySpan<byte> data)
    {
        var count = 0;
        foreach (var b in data) if (b == Rfc2217Protocol.Iac) count++;
        if (count == 0) return data.ToArray();
        var result = new byte[data.Length + count];
        var i = 0;
        foreach (var b in data)
        {
            result[i++] = b;
            if (b == Rfc2217Protocol.Iac) result[i++] = b;
        }
        return result;
    }

    /// <summary>IAC SB COM-PORT-OPTION command value IAC SE, with 0xFF in the value doubled.</summary>
    public static byte[] ComPortCommand(byte command, ReadOnlySpan<byte> value)
    {
        var body = Escape(value);
        var frame = new byte[body.Length + 6];
        frame[0] = Rfc2217Protocol.Iac;
        frame[1] = Rfc2217Protocol.Sb;
        frame[2] = Rfc2217Protocol.OptionComPort;
        frame[3] = command;
        body.CopyTo(frame, 4);
        frame[^2] = Rfc2217Protocol.Iac;
        frame[^1] = Rfc2217Protocol.Se;
        return frame;
    }

    public static byte[] Negotiate(byte verb, byte option) => [Rfc2217Protocol.Iac, verb, option];
}
