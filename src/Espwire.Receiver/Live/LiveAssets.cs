using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Espwire.Receiver.Live;

/// <summary>The page's files, embedded in this assembly at build time (Live/wwwroot and uPlot from npm), served from memory.</summary>
internal static class LiveAssets
{
    private const string Prefix = "live/";

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    public static IEnumerable<string> Names => Files.Keys;

    public static bool TryGet(string name, out byte[] content) => Files.TryGetValue(name, out content!);

    public static IResult Serve(string name) =>
        TryGet(name, out var content)
            ? Results.Bytes(content, ContentTypeOf(name))
            : Results.NotFound();

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(LiveAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[Prefix.Length..]] = copy.ToArray();
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
