namespace Espwire.Cli.At;

/// <summary>
/// The terminal's command history, kept between runs in the user's config directory
/// ($XDG_CONFIG_HOME/espwire/at_history, else ~/.config/espwire/at_history), newest last, at most <see cref="Limit"/> lines.
/// </summary>
internal sealed class TerminalHistory(string path)
{
    public const int Limit = 500;

    public string Path { get; } = path;

    /// <summary>The history file for the environment <paramref name="variable"/> reads (XDG_CONFIG_HOME, HOME).</summary>
    public static TerminalHistory ForUser(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var config = variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : System.IO.Path.Combine(variable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new TerminalHistory(System.IO.Path.Combine(config, "espwire", "at_history"));
    }

    /// <summary>The saved lines; none when there is no file or it cannot be read (history is a convenience, never an error).</summary>
    public IReadOnlyList<string> Load()
    {
        try
        {
            if (!File.Exists(Path)) return [];
            var lines = File.ReadAllLines(Path).Where(l => l.Length > 0).ToArray();
            return lines.Length > Limit ? lines[^Limit..] : lines;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public void Save(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var kept = lines.Where(l => l.Length > 0 && !l.Contains('\n', StringComparison.Ordinal)).ToArray();
            File.WriteAllLines(Path, kept.Length > Limit ? kept[^Limit..] : kept);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not worth failing the session for: the commands ran.
        }
    }
}
