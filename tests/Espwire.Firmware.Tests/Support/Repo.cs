namespace Espwire.Firmware.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Firmware => Path.Combine(Root, "firmware");

    /// <summary>espwire.dll of the build the tests were built with (the test project references Espwire.Cli).</summary>
    public static string CliDll
    {
        get
        {
            // Another build of the CLI, e.g. the receiver branch's, to run the end-to-end tests against it.
            if (Environment.GetEnvironmentVariable("ESPWIRE_CLI_DLL") is { Length: > 0 } other) return other;
            var local = Path.Combine(AppContext.BaseDirectory, "espwire.dll");
            if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "espwire.runtimeconfig.json"))) return local;
            foreach (var config in new[] { "Release", "Debug" })
            {
                var built = Path.Combine(Root, "src", "Espwire.Cli", "bin", config, "net10.0", "espwire.dll");
                if (File.Exists(built)) return built;
            }
            throw new FileNotFoundException("espwire.dll not found: build src/Espwire.Cli first (dotnet build -c Release).");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Espwire.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Espwire.slnx not found above " + AppContext.BaseDirectory);
    }
}
