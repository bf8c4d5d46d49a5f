using System.Text;

namespace Espwire.At.Reader;

/// <summary>
/// Splits the bytes from an AT firmware into events. Feed it bytes in any fragments (a whole capture, or one byte
/// at a time): it keeps its state between calls. Text lines end at CR or LF (so <c>\r\r\n</c> and blank lines are
/// harmless); <c>+IPD</c> and <c>+CIPRECVDATA</c> payloads are length-counted binary; <c>&gt;</c> at the start of a
/// line is the send prompt. When told the command it just sent, it recognises the echo, even with an unsolicited
/// line wedged into it (<c>AT+CIPSEND=0,1,CONNECT\r\n98</c>), and tolerates echo being off.
/// </summary>
public sealed class AtReader
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly AtReaderLimits _limits;
    private readonly byte[] _line;
    private int _lineLength;
    private bool _lineOverflow;

    private byte[]? _echo;
    private int _echoMatched;
    // The current line started in the middle of an echo (an unsolicited line wedged into it).
    private bool _lineInsideEcho;
    private bool _echoResumes;

    private bool _afterPrompt;
    private byte[]? _payload;
    private int _payloadFilled;
    private Func<byte[], AtEvent>? _payloadDone;

    public AtReader(AtReaderLimits? limits = null)
    {
        _limits = limits ?? new AtReaderLimits();
        _line = new byte[_limits.MaxLineLength];
    }

    /// <summary>Bytes dropped as garbage (over-long lines, non-text lines) since the reader was made.</summary>
    public long GarbageBytes { get; private set; }

    /// <summary>True while a payload is being read (the reader is between <c>+IPD,n:</c> and its last byte).</summary>
    public bool InPayload => _payload is not null;

    /// <summary>Tells the reader the command line just sent, so its echo is recognised. Null forgets it.</summary>
    public void ExpectEcho(string? command)
    {
        _echo = command is null ? null : Encoding.UTF8.GetBytes(command);
        _echoMatched = 0;
        _lineInsideEcho = false;
        _echoResumes = false;
    }

    public List<AtEvent> Feed(ReadOnlySpan<byte> data)
    {
        var events = new List<AtEvent>();
        Feed(data, events);
        return events;
    }

    public void Feed(ReadOnlySpan<byte> data, List<AtEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var i = 0;
        while (i < data.Length)
        {
            if (_payload is not null)
            {
                var n = Math.Min(_payload.Length - _payloadFilled, data.Length - i);
                data.Slice(i, n).CopyTo(_payload.AsSpan(_payloadFilled));
                _payloadFilled += n;
                i += n;
                if (_payloadFilled == _payload.Length) FinishPayload(events);
                continue;
            }
            Step(data[i++], events);
        }
    }

    private void Step(byte b, List<AtEvent> events)
    {
        if (_afterPrompt)
        {
            // 1.x sends "> " and 2.x ">": swallow the optional space.
            _afterPrompt = false;
            if (b == (byte)' ') return;
        }

        if (_echoResumes)
        {
            // The rest of the line ending of a line wedged into the echo.
            if (b is Cr or Lf) return;
            _echoResumes = false;
        }

        if (_echo is not null && !_lineInsideEcho && _lineLength == 0 && !_lineOverflow)
        {
            if (_echoMatched < _echo.Length && b == _echo[_echoMatched])
            {
                _echoMatched++;
                return;
            }
            if (_echoMatched == _echo.Length && b is Cr or Lf)
            {
                events.Add(new EchoLine(Encoding.UTF8.GetString(_echo)));
                ExpectEcho(null);
                return;
            }
            if (_echoMatched > 0)
            {
                if (_echoMatched == _echo.Length || b is Cr or Lf)
                {
                    // Not the echo after all (echo is off and the reply starts like the command): it is a normal line.
                    Array.Copy(_echo, _line, _echoMatched);
                    _lineLength = _echoMatched;
                    ExpectEcho(null);
                }
                else
                {
                    _lineInsideEcho = true;
                }
            }
        }

        if (b is Cr or Lf)
        {
            EndLine(events);
            return;
        }
        if (_lineLength == 0 && !_lineOverflow && !_lineInsideEcho && b == (byte)'>')
        {
            events.Add(new PromptEvent());
            _afterPrompt = true;
            return;
        }
        if (_lineLength == _line.Length)
        {
            _lineOverflow = true;
            GarbageBytes++;
            return;
        }
        _line[_lineLength++] = b;
        if (b == (byte)':' || b == (byte)',') TryStartPayload(b, events);
    }

    private void EndLine(List<AtEvent> events)
    {
        if (_lineOverflow)
        {
            GarbageBytes += _lineLength;
            events.Add(new GarbageLine(_line.Length));
            _lineLength = 0;
            _lineOverflow = false;
            return;
        }
        if (_lineLength == 0) return;
        var bytes = _line.AsSpan(0, _lineLength);
        _lineLength = 0;
        var e = Decode(bytes, events);
        if (e is null) return;

        if (_lineInsideEcho)
        {
            _lineInsideEcho = false;
            if (LineClassifier.IsAsynchronous(e))
            {
                _echoResumes = true;
                events.Add(e); // the echo continues after this line
                return;
            }
            // Not an unsolicited line: the "echo" prefix was the start of a reply line (echo is off).
            var whole = Encoding.UTF8.GetString(_echo!, 0, _echoMatched) + Encoding.UTF8.GetString(bytes);
            ExpectEcho(null);
            events.Add(LineClassifier.Classify(whole));
            return;
        }
        events.Add(e);
        if (_echo is not null && e is InfoLine or FinalLine) ExpectEcho(null); // a reply came: echo is off
    }

    private AtEvent? Decode(ReadOnlySpan<byte> bytes, List<AtEvent> events)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Garbage(bytes, events);
        }
        foreach (var c in text)
            if (char.IsControl(c) && c != '\t') return Garbage(bytes, events);
        return LineClassifier.Classify(text);
    }

    private AtEvent? Garbage(ReadOnlySpan<byte> bytes, List<AtEvent> events)
    {
        // ROM boot text at 74880 baud reads as noise at 115200 and often runs straight into "ready".
        var ready = "ready"u8;
        if (bytes.EndsWith(ready))
        {
            var noise = bytes.Length - ready.Length;
            GarbageBytes += noise;
            events.Add(new GarbageLine(noise));
            return LineClassifier.Classify("ready");
        }
        GarbageBytes += bytes.Length;
        return new GarbageLine(bytes.Length);
    }

    private void TryStartPayload(byte last, List<AtEvent> events)
    {
        var line = _line.AsSpan(0, _lineLength);
        if (last == (byte)':' && line.StartsWith("+IPD,"u8))
        {
            // +IPD,<len>:  +IPD,<id>,<len>:  +IPD,<id>,<len>,<ip>,<port>:
            var fields = Encoding.ASCII.GetString(line[5..^1]).Split(',');
            int? id = null;
            int len;
            string? ip = null;
            int? port = null;
            if (fields.Length == 1 && LineClassifier.TryInt(fields[0], out len)) { }
            else if (fields.Length >= 2 && LineClassifier.TryInt(fields[0], out var i0) && LineClassifier.TryInt(fields[1], out len))
            {
                id = i0;
                if (fields.Length == 4 && LineClassifier.TryInt(fields[3], out var p))
                {
                    ip = fields[2].Trim('"');
                    port = p;
                }
            }
            else return;
            StartPayload(len, data => new IpdData(id, data, ip, port), events);
        }
        else if (last == (byte)':' && line.StartsWith("+CIPRECVDATA,"u8))
        {
            // 1.7: +CIPRECVDATA,<n>:<data>
            if (LineClassifier.TryInt(Encoding.ASCII.GetString(line[13..^1]), out var n))
                StartPayload(n, data => new ReceivedData(data), events);
        }
        else if (last == (byte)',' && line.StartsWith("+CIPRECVDATA:"u8))
        {
            // 2.x: +CIPRECVDATA:<n>,<data>
            if (LineClassifier.TryInt(Encoding.ASCII.GetString(line[13..^1]), out var n))
                StartPayload(n, data => new ReceivedData(data), events);
        }
    }

    private void StartPayload(int length, Func<byte[], AtEvent> done, List<AtEvent> events)
    {
        _lineLength = 0;
        if (length > _limits.MaxPayload)
        {
            // Cannot be real; treat the header as garbage rather than swallowing the next few KB of replies.
            GarbageBytes += 1;
            _lineOverflow = true;
            return;
        }
        _payload = new byte[length];
        _payloadFilled = 0;
        _payloadDone = done;
        if (length == 0) FinishPayload(events);
    }

    private void FinishPayload(List<AtEvent> events)
    {
        var data = _payload!;
        var done = _payloadDone!;
        _payload = null;
        _payloadDone = null;
        _lineInsideEcho = false; // a payload wedged into an echo: the echo continues after it
        events.Add(done(data));
    }
}
