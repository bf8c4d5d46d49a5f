namespace Espwire.Flasher.Stub;

/// <summary>
/// Finds an ESP8266 flasher stub in a local esptool (pip, Debian) or Arduino ESP8266 core installation, so users
/// who have either get stub speed without naming a file.
/// </summary>
public static class StubLocator
{
    /// <summary>File names esptool has used for the ESP8266 stub (v5: stub_flasher/1/esp8266.json; v4: stub_flasher_8266.json).</summary>
    public static readonly string[] FileNames = ["esp8266.json", "stub_flasher_8266.json"];

    /// <summary>The first stub found under <paramref name="roots"/> (default: <see cref="DefaultRoots"/>), or null.</summary>
    public static string? Find(IEnumerable<string>? roots = null)
    {
        foreach (var root in roots ?? DefaultRoots())
        {
            if (!Directory.Exists(root)) continue;
            try
            {
                var found = Directory.EnumerateFiles(root, "*.json", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 8, IgnoreInaccessible = true })
                    .Where(f => FileNames.Contains(Path.GetFileName(f), StringComparer.OrdinalIgnoreCase)
                                && f.Replace('\\', '/').Contains("stub_flasher", StringComparison.OrdinalIgnoreCase))
                    .OrderByDescending(f => f, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (found is not null) return found;
            }
            catch (IOException)
            {
                // An unreadable install is skipped, not fatal.
            }
        }
        return null;
    }

    /// <summary>Where esptool and the Arduino ESP8266 core usually live on Linux, macOS and Windows.</summary>
    public static IEnumerable<string> DefaultRoots()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        var roots = new List<string>();
        foreach (var lib in new[] { "/usr/lib", "/usr/local/lib", Path.Combine(home, ".local", "lib") })
        {
            if (!Directory.Exists(lib)) continue;
            foreach (var py in SafeDirs(lib, "python3*"))
            {
                roots.Add(Path.Combine(py, "dist-packages", "esptool"));
                roots.Add(Path.Combine(py, "site-packages", "esptool"));
            }
        }
        roots.Add("/usr/share/esptool");
        roots.Add(Path.Combine(home, ".arduino15", "packages", "esp8266"));
        roots.Add(Path.Combine(home, "Library", "Arduino15", "packages", "esp8266"));
        roots.Add(Path.Combine(local, "Arduino15", "packages", "esp8266"));
        return roots;
    }

    private static IEnumerable<string> SafeDirs(string path, string pattern)
    {
        try
        {
            return Directory.GetDirectories(path, pattern);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
