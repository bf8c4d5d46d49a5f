namespace Espwire.Flasher.Stub;

/// <summary>
/// Finds an ESP8266 flasher stub where users already have one: esptool v4.8+/v5 installs (stub_flasher/2, then 1),
/// esptool v4.0-4.7 (stub_flasher_8266.json), the stub embedded in esptool v2/v3's esptool.py (as the Arduino
/// ESP8266 core and PlatformIO bundle it), and an npm install of esptool-js.
/// </summary>
public static class StubLocator
{
    private const string JsonName = "esp8266.json";
    private const string LegacyJsonName = "stub_flasher_8266.json";
    private const string PythonName = "esptool.py";
    private static readonly string[] EsptoolJsPath = ["esptool-js", "lib", "targets", "stub_flasher", JsonName];

    /// <summary>The stub the flash verbs would use: the first found under <paramref name="roots"/> (default: <see cref="DefaultRoots"/>), or null.</summary>
    public static StubCandidate? Find(IEnumerable<string>? roots = null) => FindAll(roots).FirstOrDefault();

    /// <summary>
    /// Every stub found, best first: roots in order; within a root esptool's JSON (stub 2 before 1, as esptool v5
    /// prefers), then v4's, then esptool.py's, then esptool-js's, newest install first. A root may be a folder,
    /// a node_modules folder (only esptool-js is looked at there) or one file.
    /// </summary>
    public static IReadOnlyList<StubCandidate> FindAll(IEnumerable<string>? roots = null)
    {
        var found = new List<StubCandidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots ?? DefaultRoots())
        {
            foreach (var candidate in InRoot(root))
                if (seen.Add(Path.GetFullPath(candidate.Path))) found.Add(candidate);
        }
        return found;
    }

    private static IEnumerable<StubCandidate> InRoot(string root)
    {
        if (File.Exists(root)) return Classify(root) is { } single ? [single] : [];
        if (!Directory.Exists(root)) return [];
        if (Path.GetFileName(Path.TrimEndingDirectorySeparator(root)) == "node_modules")
        {
            var js = Path.Combine([root, .. EsptoolJsPath]);
            return File.Exists(js) ? [new StubCandidate(js, StubSourceKind.EsptoolJs)] : [];
        }
        try
        {
            return Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 10, IgnoreInaccessible = true })
                .Where(f => Path.GetFileName(f) is JsonName or LegacyJsonName or PythonName)
                .Select(Classify)
                .OfType<StubCandidate>()
                .OrderBy(c => Rank(c))
                .ThenByDescending(c => c.Path, StringComparer.Ordinal)
                .ToList();
        }
        catch (IOException)
        {
            return []; // an unreadable install is skipped, not fatal
        }
    }

    private static StubCandidate? Classify(string path)
    {
        var name = Path.GetFileName(path);
        var parent = Path.GetFileName(Path.GetDirectoryName(path)) ?? "";
        var grandparent = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))) ?? "";
        var unix = path.Replace('\\', '/');
        return name switch
        {
            JsonName when grandparent == "stub_flasher" && parent is "1" or "2" => new StubCandidate(path, StubSourceKind.EsptoolJson),
            JsonName when parent == "stub_flasher" && unix.Contains("/lib/targets/stub_flasher/", StringComparison.Ordinal) => new StubCandidate(path, StubSourceKind.EsptoolJs),
            LegacyJsonName when parent == "stub_flasher" => new StubCandidate(path, StubSourceKind.EsptoolLegacyJson),
            PythonName when EmbeddedStub.Carries(path) => new StubCandidate(path, StubSourceKind.EsptoolPy),
            _ => null,
        };
    }

    private static int Rank(StubCandidate c) => c.Kind switch
    {
        StubSourceKind.EsptoolJson => Path.GetFileName(Path.GetDirectoryName(c.Path)) == "2" ? 0 : 1,
        StubSourceKind.EsptoolLegacyJson => 2,
        StubSourceKind.EsptoolPy => 3,
        _ => 4,
    };

    /// <summary>Where esptool, the Arduino ESP8266 core, PlatformIO and esptool-js usually live on Linux, macOS and Windows.</summary>
    /// <param name="home">The user's home folder (default: the real one); tests pass a fixture.</param>
    /// <param name="workingDirectory">Where a project's own node_modules would be (default: the current folder).</param>
    public static IEnumerable<string> DefaultRoots(string? home = null, string? workingDirectory = null)
    {
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        var roots = new List<string>();
        foreach (var lib in new[] { "/usr/lib", "/usr/local/lib", Path.Combine(home, ".local", "lib") })
        {
            if (!Directory.Exists(lib)) continue;
            foreach (var py in SafeDirs(lib, "python3*"))
            {
                foreach (var packages in new[] { "dist-packages", "site-packages" })
                {
                    roots.Add(Path.Combine(py, packages, "esptool"));      // v4, v5: a package
                    roots.Add(Path.Combine(py, packages, PythonName));     // v2, v3: one module file
                }
            }
        }
        roots.Add("/usr/share/esptool");
        roots.Add(Path.Combine(home, ".local", "pipx", "venvs", "esptool"));
        roots.Add(Path.Combine(home, ".arduino15", "packages", "esp8266"));
        roots.Add(Path.Combine(home, "Library", "Arduino15", "packages", "esp8266"));
        roots.Add(Path.Combine(local, "Arduino15", "packages", "esp8266"));
        roots.Add(Path.Combine(home, ".platformio", "packages", "tool-esptoolpy"));
        roots.Add(Path.Combine(workingDirectory ?? Environment.CurrentDirectory, "node_modules"));
        if (Environment.GetEnvironmentVariable("NPM_CONFIG_PREFIX") is { Length: > 0 } prefix)
            roots.Add(Path.Combine(prefix, "lib", "node_modules"));
        roots.Add(Path.Combine(home, ".npm-global", "lib", "node_modules"));
        roots.Add("/usr/local/lib/node_modules");
        roots.Add("/usr/lib/node_modules");
        if (Environment.GetEnvironmentVariable("APPDATA") is { Length: > 0 } appData)
            roots.Add(Path.Combine(appData, "npm", "node_modules"));
        return roots;
    }

    private static string[] SafeDirs(string path, string pattern)
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
