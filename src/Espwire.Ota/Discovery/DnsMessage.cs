using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Espwire.Ota.Discovery;

/// <summary>
/// A DNS message as mDNS uses it (RFC 1035 wire format, RFC 6762 class bits). Reading follows compression
/// pointers with a bound on jumps; writing does not compress (allowed, and these messages are small).
/// </summary>
public sealed class DnsMessage
{
    /// <summary>mDNS messages fit one UDP datagram; RFC 6762 caps them at 9000 bytes.</summary>
    public const int MaxLength = 9000;

    private const ushort ClassIn = 1;
    private const ushort TopBit = 0x8000;

    public ushort Id { get; init; }

    public bool IsResponse { get; init; }

    /// <summary>Authoritative answer: set on every mDNS response.</summary>
    public bool Authoritative { get; init; }

    public List<DnsQuestion> Questions { get; init; } = [];

    public List<DnsRecord> Answers { get; init; } = [];

    public List<DnsRecord> Additionals { get; init; } = [];

    public IEnumerable<DnsRecord> AllRecords => Answers.Concat(Additionals);

    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, Id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)((IsResponse ? 0x8000 : 0) | (Authoritative ? 0x0400 : 0)));
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)Questions.Count);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)Answers.Count);
        BinaryPrimitives.WriteUInt16BigEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], (ushort)Additionals.Count);
        buffer.Write(header);
        foreach (var q in Questions)
        {
            WriteName(buffer, q.Name);
            WriteUInt16(buffer, (ushort)q.Type);
            WriteUInt16(buffer, (ushort)(ClassIn | (q.UnicastResponse ? TopBit : 0)));
        }
        foreach (var r in Answers.Concat(Additionals)) WriteRecord(buffer, r);
        if (buffer.Length > MaxLength) throw new DnsFormatException($"The message is {buffer.Length} bytes; mDNS allows {MaxLength}.");
        return buffer.ToArray();
    }

    public static DnsMessage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12) throw new DnsFormatException("Shorter than a DNS header.");
        if (data.Length > MaxLength) throw new DnsFormatException($"Longer than {MaxLength} bytes.");
        var flags = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(data[4..]), an = BinaryPrimitives.ReadUInt16BigEndian(data[6..]),
            ns = BinaryPrimitives.ReadUInt16BigEndian(data[8..]), ar = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        var message = new DnsMessage
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(data),
            IsResponse = (flags & 0x8000) != 0,
            Authoritative = (flags & 0x0400) != 0,
        };
        var at = 12;
        for (var i = 0; i < qd; i++)
        {
            var name = ReadName(data, ref at);
            Need(data, at, 4);
            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            at += 4;
            message.Questions.Add(new DnsQuestion(name, type, (cls & TopBit) != 0));
        }
        for (var i = 0; i < an + ns + ar; i++)
        {
            var record = ReadRecord(data, ref at);
            if (i < an) message.Answers.Add(record);
            else if (i >= an + ns) message.Additionals.Add(record);
        }
        return message;
    }

    private static void Need(ReadOnlySpan<byte> data, int at, int count)
    {
        if (at < 0 || at + count > data.Length) throw new DnsFormatException("The message ends inside a field.");
    }

    private static DnsRecord ReadRecord(ReadOnlySpan<byte> data, ref int at)
    {
        var name = ReadName(data, ref at);
        Need(data, at, 10);
        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        var cls = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(data[(at + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 8)..]);
        at += 10;
        Need(data, at, length);
        var start = at;
        var end = at + length;
        at = end;
        var record = new DnsRecord(name, type, ttl) { CacheFlush = (cls & TopBit) != 0 };
        switch (type)
        {
            case DnsRecordType.Ptr:
                {
                    var p = start;
                    return record with { Target = ReadName(data, ref p) };
                }
            case DnsRecordType.Srv:
                {
                    if (length < 7) throw new DnsFormatException("SRV record too short.");
                    var p = start + 6;
                    return record with
                    {
                        Priority = BinaryPrimitives.ReadUInt16BigEndian(data[start..]),
                        Weight = BinaryPrimitives.ReadUInt16BigEndian(data[(start + 2)..]),
                        Port = BinaryPrimitives.ReadUInt16BigEndian(data[(start + 4)..]),
                        Target = ReadName(data, ref p),
                    };
                }
            case DnsRecordType.Txt:
                {
                    var strings = new List<string>();
                    var p = start;
                    while (p < end)
                    {
                        int n = data[p++];
                        if (p + n > end) throw new DnsFormatException("TXT string runs past its record.");
                        if (n > 0) strings.Add(Encoding.UTF8.GetString(data.Slice(p, n)));
                        p += n;
                    }
                    return record with { Strings = strings };
                }
            case DnsRecordType.A when length == 4:
            case DnsRecordType.Aaaa when length == 16:
                return record with { Address = new IPAddress(data.Slice(start, length)) };
            default:
                return record;
        }
    }

    private static string ReadName(ReadOnlySpan<byte> data, ref int at)
    {
        var labels = new List<string>();
        var p = at;
        var jumped = false;
        var jumps = 0;
        var length = 0;
        while (true)
        {
            Need(data, p, 1);
            int n = data[p];
            if (n == 0)
            {
                p++;
                break;
            }
            if ((n & 0xC0) == 0xC0)
            {
                Need(data, p, 2);
                if (++jumps > 32) throw new DnsFormatException("Compression pointers loop.");
                var target = ((n & 0x3F) << 8) | data[p + 1];
                if (!jumped) at = p + 2;
                jumped = true;
                p = target;
                continue;
            }
            if ((n & 0xC0) != 0) throw new DnsFormatException("Unknown label type.");
            Need(data, p + 1, n);
            length += n + 1;
            if (length > 255) throw new DnsFormatException("Name longer than 255 bytes.");
            labels.Add(Encoding.UTF8.GetString(data.Slice(p + 1, n)));
            p += n + 1;
        }
        if (!jumped) at = p;
        return string.Join('.', labels);
    }

    private static void WriteRecord(MemoryStream buffer, DnsRecord r)
    {
        WriteName(buffer, r.Name);
        WriteUInt16(buffer, (ushort)r.Type);
        WriteUInt16(buffer, (ushort)(ClassIn | (r.CacheFlush ? TopBit : 0)));
        Span<byte> ttl = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ttl, r.Ttl);
        buffer.Write(ttl);
        using var rdata = new MemoryStream();
        switch (r.Type)
        {
            case DnsRecordType.Ptr:
                WriteName(rdata, r.Target ?? "");
                break;
            case DnsRecordType.Srv:
                WriteUInt16(rdata, r.Priority);
                WriteUInt16(rdata, r.Weight);
                WriteUInt16(rdata, r.Port);
                WriteName(rdata, r.Target ?? "");
                break;
            case DnsRecordType.Txt:
                foreach (var s in r.Strings)
                {
                    var bytes = Encoding.UTF8.GetBytes(s);
                    if (bytes.Length > 255) throw new DnsFormatException($"TXT string '{s}' is longer than 255 bytes.");
                    rdata.WriteByte((byte)bytes.Length);
                    rdata.Write(bytes);
                }
                if (r.Strings.Count == 0) rdata.WriteByte(0);
                break;
            case DnsRecordType.A:
            case DnsRecordType.Aaaa:
                rdata.Write(r.Address?.GetAddressBytes() ?? throw new DnsFormatException("Address record without an address."));
                break;
        }
        WriteUInt16(buffer, (ushort)rdata.Length);
        rdata.WriteTo(buffer);
    }

    private static void WriteName(MemoryStream buffer, string name)
    {
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.UTF8.GetBytes(label);
            if (bytes.Length > 63) throw new DnsFormatException($"Label '{label}' is longer than 63 bytes.");
            buffer.WriteByte((byte)bytes.Length);
            buffer.Write(bytes);
        }
        buffer.WriteByte(0);
    }

    private static void WriteUInt16(MemoryStream buffer, ushort value)
    {
        buffer.WriteByte((byte)(value >> 8));
        buffer.WriteByte((byte)value);
    }
}
