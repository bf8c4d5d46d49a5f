using System.Net;

namespace Espwire.Cli.Receiver;

/// <summary>The rules of <c>--http</c>: loopback unless told otherwise, and a token for anything beyond loopback.</summary>
internal static class HttpEndpoint
{
    /// <summary>Like <see cref="EndpointParser"/>, but a bare port (<c>8080</c>, <c>:8080</c>) means 127.0.0.1: the page shows
    /// every reading, so it reaches the network only when the user names a network address.</summary>
    public static IPEndPoint Parse(string text)
    {
        var value = text.Trim();
        var bare = value.StartsWith(':') ? value[1..] : value;
        if (bare.Length > 0 && bare.All(char.IsAsciiDigit)) value = "127.0.0.1:" + bare;
        return EndpointParser.Parse(value, "--http");
    }

    /// <summary>The token (from <c>--http-token</c> or the first line of <c>--http-token-file</c>), required when an
    /// endpoint is not loopback.</summary>
    public static string? Token(string? token, string? tokenFile, IReadOnlyList<IPEndPoint> http)
    {
        if (token is not null && tokenFile is not null) throw new UsageException("--http-token and --http-token-file contradict each other; give one of them.");
        if (tokenFile is not null)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(tokenFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--http-token-file '{tokenFile}' cannot be read: {e.Message}");
            }
            token = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
                ?? throw new UsageException($"--http-token-file '{tokenFile}' is empty; put the token on its first line.");
        }
        if (token is not null && token.Trim().Length == 0) throw new UsageException("--http-token is empty; give a token, e.g. --http-token $(openssl rand -hex 16).");
        if ((token is not null) && http.Count == 0) throw new UsageException("--http-token needs --http ADDR:PORT (the token protects the live page).");
        var open = http.FirstOrDefault(e => !IPAddress.IsLoopback(e.Address));
        if (open is not null && token is null)
            throw new UsageException($"--http {open} serves every reading to the network without protection. Add --http-token TOKEN " +
                "(or --http-token-file FILE), or listen on loopback only: --http 127.0.0.1:" + open.Port + ".");
        return token?.Trim();
    }

    /// <summary>The HTTP endpoint a failed start names, when the failure is a clash on an HTTP port rather than a device port.</summary>
    public static IPEndPoint? Clashing(Exception failure, IReadOnlyList<IPEndPoint> http)
    {
        var messages = string.Join("\n", Chain(failure).Select(e => e.Message));
        return http.FirstOrDefault(e => e.Port != 0 && messages.Contains($"{(e.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{e.Address}]" : e.Address.ToString())}:{e.Port}", StringComparison.Ordinal));
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException) yield return current;
    }
}
