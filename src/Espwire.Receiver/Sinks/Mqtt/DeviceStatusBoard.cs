namespace Espwire.Receiver.Sinks.Mqtt;

/// <summary>Decides when a device's retained status (online, last seen) and its Home Assistant discovery configs are
/// due: status on a device's first reading, then at most every <see cref="RefreshInterval"/>, offline after a silence;
/// each discovery config once per process (they are retained, so the broker keeps them).</summary>
internal sealed class DeviceStatusBoard(TimeSpan offlineAfter)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, State> _devices = new(StringComparer.Ordinal);
    private readonly HashSet<(string Device, string Value)> _discovered = [];

    private sealed class State
    {
        public long LastSeenMicros;
        public long PublishedAtMicros;
        public bool Online;
    }

    /// <summary>A reading of <paramref name="device"/> was forwarded; true when its status should be published now.</summary>
    public bool Seen(string device, long receivedAtMicros, long nowMicros)
    {
        if (!_devices.TryGetValue(device, out var state)) _devices[device] = state = new State();
        state.LastSeenMicros = Math.Max(state.LastSeenMicros, receivedAtMicros);
        if (state.Online && nowMicros - state.PublishedAtMicros < (long)RefreshInterval.TotalMicroseconds) return false;
        state.Online = true;
        state.PublishedAtMicros = nowMicros;
        return true;
    }

    public long LastSeen(string device) => _devices.TryGetValue(device, out var state) ? state.LastSeenMicros : 0;

    /// <summary>The devices that went quiet since their last online status; they are marked offline.</summary>
    public IReadOnlyList<string> GoneQuiet(long nowMicros)
    {
        List<string>? quiet = null;
        foreach (var (device, state) in _devices)
        {
            if (!state.Online || nowMicros - state.LastSeenMicros < (long)offlineAfter.TotalMicroseconds) continue;
            state.Online = false;
            state.PublishedAtMicros = nowMicros;
            (quiet ??= []).Add(device);
        }
        return quiet ?? (IReadOnlyList<string>)[];
    }

    /// <summary>True the first time a (device, value) pair is seen.</summary>
    public bool Discover(string device, string value) => _discovered.Add((device, value));

    /// <summary>After a reconnect, publish every device's status again (the broker may have lost it).</summary>
    public void Reset()
    {
        foreach (var state in _devices.Values) state.PublishedAtMicros = 0;
    }
}
