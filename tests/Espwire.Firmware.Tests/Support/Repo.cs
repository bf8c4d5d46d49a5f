namespace Espwire.Firmware.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Firmware => Path.Combine(Root, "firmware");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Espwire.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Espwire.slnx not found above " + AppContext.BaseDirectory);
    }
}
