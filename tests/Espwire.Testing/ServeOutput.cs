using System.Net;
using System.Text.RegularExpressions;

namespace Espwire.Testing;

/// <summary>What <c>espwire serve</c> prints at start, read from its process: the endpoints it bound, one line each
/// ("Listening '127.0.0.1:40123'", "Listening '127.0.0.1:40124' (UDP)") and a blank line once it is ready, so a test
/// can pass port 0 and learn the port.</summary>
public static partial class ServeOutput
{
    /// <summary>The TCP and UDP endpoints serve bound, once the blank line after them says it is ready.</summary>
    public static async Task<(IPEndPoint[] Tcp, IPEndPoint[] Udp)> WaitUntilListeningAsync(this ChildProcess serve, TimeSpan? ceiling = null)
    {
        var listed = false;
        await serve.WaitForLineAsync(line =>
        {
            if (ListeningLine().IsMatch(line)) listed = true;
            return listed && line.Length == 0;
        }, "printing its listening addresses", ceiling: ceiling).ConfigureAwait(false);
        var tcp = new List<IPEndPoint>();
        var udp = new List<IPEndPoint>();
        foreach (var line in serve.Output)
        {
            if (line.Length == 0 && (tcp.Count > 0 || udp.Count > 0)) break;
            var match = ListeningLine().Match(line);
            if (!match.Success) continue;
            var endpoint = IPEndPoint.Parse(match.Groups["endpoint"].Value);
            if (endpoint.Port == 0) throw new Xunit.Sdk.XunitException($"serve reported port 0: '{line}'");
            (match.Groups["udp"].Success ? udp : tcp).Add(endpoint);
        }
        return ([.. tcp], [.. udp]);
    }

    [GeneratedRegex(@"^Listening '(?<endpoint>[^']+)'(?<udp> \(UDP\))?$")]
    private static partial Regex ListeningLine();
}
