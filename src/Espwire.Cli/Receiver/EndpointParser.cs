using System.Globalization;
using System.Net;

namespace Espwire.Cli.Receiver;

/// <summary>Reads listen endpoints as users write them: <c>0.0.0.0:12345</c>, <c>[::]:12345</c>, <c>:12345</c>,
/// <c>12345</c>, <c>localhost:12345</c>.</summary>
internal static class EndpointParser
{
    public static IPEndPoint Parse(string text, string option)
    {
        var value = text.Trim();
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bare)) return Checked(IPAddress.Any, bare, text, option);
        if (value.StartsWith(':')) value = "0.0.0.0" + value;
        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) value = "127.0.0.1" + value["localhost".Length..];
        if (IPEndPoint.TryParse(value, out var endpoint) && HasPort(value))
            return Checked(endpoint.Address, endpoint.Port, text, option);
        throw new UsageException($"{option} '{text}' is not ADDR:PORT. Examples: {option} 0.0.0.0:12345, {option} 127.0.0.1:9000, {option} [::]:12345.");
    }

    private static bool HasPort(string value) =>
        value.StartsWith('[') ? value.Contains("]:", StringComparison.Ordinal) : value.Count(c => c == ':') == 1;

    private static IPEndPoint Checked(IPAddress address, int port, string text, string option)
    {
        if (port is < 0 or > 65535) throw new UsageException($"{option} '{text}': the port must be 0-65535 (0 picks a free port).");
        return new IPEndPoint(address, port);
    }

    /// <summary>The seed's rendering of a listen address: <c>0.0.0.0:12345</c>, <c>[::]:12345</c>.</summary>
    public static string Describe(IPEndPoint endpoint) => endpoint.ToString();
}
