using System.Globalization;

namespace Espwire.Ports;

/// <summary>A parsed port string, in the forms pyserial and esptool accept.</summary>
public sealed record PortAddress(PortKind Kind, string Path, string Host, int Port)
{
    public static PortAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.Length == 0)
            throw new FormatException("The port string is empty. Give a serial device (/dev/ttyUSB0, COM3), socket://HOST:PORT or rfc2217://HOST:PORT.");

        if (s.StartsWith("socket://", StringComparison.OrdinalIgnoreCase))
            return ParseNetwork(PortKind.Socket, s, s["socket://".Length..]);
        if (s.StartsWith("rfc2217://", StringComparison.OrdinalIgnoreCase))
            return ParseNetwork(PortKind.Rfc2217, s, s["rfc2217://".Length..]);
        if (s.Contains("://", StringComparison.Ordinal))
            throw new FormatException($"'{s}' uses a scheme Espwire does not know. Use a serial device path, socket://HOST:PORT or rfc2217://HOST:PORT.");
        return new PortAddress(PortKind.Serial, s, "", 0);
    }

    private static PortAddress ParseNetwork(PortKind kind, string whole, string rest)
    {
        // Options after '?' (pyserial's ?logging=debug) are accepted and ignored.
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) rest = rest[..q];
        rest = rest.TrimEnd('/');
        string host;
        string portText;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= rest.Length || rest[close + 1] != ':')
                throw new FormatException($"'{whole}' is not HOST:PORT. Write IPv6 hosts as [::1]:PORT.");
            host = rest[1..close];
            portText = rest[(close + 2)..];
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            if (colon <= 0)
                throw new FormatException($"'{whole}' has no port. Write it as {(kind == PortKind.Socket ? "socket" : "rfc2217")}://HOST:PORT, e.g. socket://127.0.0.1:4000.");
            host = rest[..colon];
            portText = rest[(colon + 1)..];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"'{portText}' in '{whole}' is not a TCP port (1-65535).");
        return new PortAddress(kind, whole, host, port);
    }

    public override string ToString() => Path;
}
