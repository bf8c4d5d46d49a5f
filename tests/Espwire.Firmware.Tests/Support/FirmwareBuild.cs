using System.Diagnostics;

namespace Espwire.Firmware.Tests.Support;

/// <summary>Builds the examples with firmware/host/build.sh (g++ and the host shim) once per set of compile-time
/// settings, into a temporary directory.</summary>
public static class FirmwareBuild
{
    private static readonly Dictionary<string, Task<string>> Builds = new(StringComparer.Ordinal);

    /// <summary>The test build: a bounded number of readings so a test can tell when the device is done.</summary>
    public const string Bounded = "-DREADINGS_LIMIT=150";

    /// <summary>A small ring (128 bytes: about 30 counter readings) so the receiver can be away longer than it holds.</summary>
    public const string SmallRing = "-DREADINGS_LIMIT=80 -DESPWIRE_RING_BYTES=128";

    public static Task<string> GetAsync(string flags)
    {
        lock (Builds)
        {
            if (!Builds.TryGetValue(flags, out var build)) Builds[flags] = build = Task.Run(() => Build(flags));
            return build;
        }
    }

    private static string Build(string flags)
    {
        var dir = Directory.CreateTempSubdirectory("espwire-fw-").FullName;
        var result = Run("bash", [Path.Combine(Repo.Firmware, "host", "build.sh"), dir], ("CXXFLAGS_EXTRA", flags));
        if (result.Code != 0) throw new InvalidOperationException($"build.sh failed ({result.Code}):\n{result.Output}");
        return dir;
    }

    public static (int Code, string Output) Run(string file, string[] args, params (string Key, string Value)[] env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
