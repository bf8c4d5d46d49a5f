using System.Diagnostics;

namespace Espwire.Flasher.Tests.Support;

/// <summary>
/// The real ESP8266 stub (Apache-2.0) from the npm package esptool-js, fetched with npm at test time into a cache
/// folder (nothing is committed), pinned to one version.
/// </summary>
internal static class NpmEsptoolJs
{
    public const string Version = "0.7.0";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>A node_modules folder holding esptool-js/lib/targets/stub_flasher/esp8266.json.</summary>
    public static async Task<string> NodeModulesAsync()
    {
        var cache = Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x : Path.Combine(Path.GetTempPath(), "espwire-test-cache"), $"esptool-js-{Version}");
        var nodeModules = Path.Combine(cache, "node_modules");
        var stub = Path.Combine(nodeModules, "esptool-js", "lib", "targets", "stub_flasher", "esp8266.json");
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(stub)) return nodeModules;
            var download = Path.Combine(cache, "download");
            Directory.CreateDirectory(download);
            await RunAsync("npm", download, "pack", $"esptool-js@{Version}", "--silent");
            var tarball = Path.Combine(download, $"esptool-js-{Version}.tgz");
            var package = Path.Combine(nodeModules, "esptool-js");
            Directory.CreateDirectory(package);
            await RunAsync("tar", package, "xzf", tarball, "--strip-components=1", "package/lib/targets/stub_flasher/esp8266.json", "package/package.json");
            if (!File.Exists(stub)) throw new InvalidOperationException($"npm esptool-js@{Version} has no {stub}.");
            return nodeModules;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string program, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
    }
}
