using System.Text.Json;
using Espwire.Emulator.World;

namespace Espwire.Emulator.Flash;

/// <summary>
/// The flash sector holding <see cref="FlashSettings"/>. With a state file, saved settings outlive the process:
/// the seed's module rejoins its network after a reboot.
/// </summary>
public sealed class SettingsStore
{
    private readonly string? _path;
    private readonly FlashSettings _factory;
    private readonly object _gate = new();
    private FlashSettings _current;

    public SettingsStore(string? path, FlashSettings factory)
    {
        _path = path;
        _factory = factory;
        _current = Load(path) ?? factory;
    }

    public FlashSettings Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    /// <summary>Why the state file could not be read at start, if it could not; the module then uses factory settings.</summary>
    public string? LoadProblem { get; private set; }

    public void Update(Func<FlashSettings, FlashSettings> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            _current = change(_current);
            Save();
        }
    }

    /// <summary>AT+RESTORE: back to factory settings.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            _current = _factory;
            Save();
        }
    }

    private FlashSettings? Load(string? path)
    {
        if (path is null || !File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<FlashSettings>(File.ReadAllText(path), WifiWorld.JsonOptions);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            LoadProblem = $"Could not read the state file '{path}' ({e.Message}); starting from factory settings.";
            return null;
        }
    }

    private void Save()
    {
        if (_path is null) return;
        try
        {
            var tmp = _path + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(_current, WifiWorld.JsonOptions));
            File.Move(tmp, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A failing disk must not kill the module; the settings stay in RAM.
            LoadProblem = $"Could not save the state file '{_path}': {e.Message}";
        }
    }
}
