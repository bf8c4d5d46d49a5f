using Espwire.At.Reader;

namespace Espwire.At.Commands;

/// <summary>The whole reply to one command: its info lines, what arrived on its own meanwhile, and the final result.</summary>
public sealed record AtResponse(
    Exchange Exchange,
    ResultCode Result,
    IReadOnlyList<string> Lines,
    IReadOnlyList<UnsolicitedLine> Unsolicited,
    byte[]? Data,
    TimeSpan Elapsed)
{
    public bool IsOk => Result is ResultCode.Ok or ResultCode.SendOk;

    /// <summary>Bytes of noise (no AT line) that arrived during this exchange: a sign of wiring or baud trouble.</summary>
    public long GarbageBytes { get; init; }

    /// <summary>The 2.x <c>ERR CODE:0x...</c> line, if the module printed one.</summary>
    public uint? ErrorCode
    {
        get
        {
            foreach (var line in Lines)
                if (line.StartsWith("ERR CODE:0x", StringComparison.Ordinal)
                    && uint.TryParse(line.AsSpan(11), System.Globalization.NumberStyles.HexNumber, null, out var code))
                    return code;
            return null;
        }
    }

    /// <summary>The first info line that starts with <paramref name="prefix"/>, without the prefix.</summary>
    public string? Value(string prefix)
    {
        foreach (var line in Lines)
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
        return null;
    }

    /// <summary>Every info line that starts with <paramref name="prefix"/>, without the prefix.</summary>
    public IEnumerable<string> Values(string prefix)
    {
        foreach (var line in Lines)
            if (line.StartsWith(prefix, StringComparison.Ordinal)) yield return line[prefix.Length..];
    }

    public bool Saw(Unsolicited kind) => Unsolicited.Any(u => u.Kind == kind);
}
