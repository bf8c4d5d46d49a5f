using Espwire.Emulator;
using Espwire.Emulator.Sketch;

namespace Espwire.Cli.Demo;

/// <summary>The demo's emulated modules: module 1 runs the seed's sketch exactly (a connection per reading, known by
/// its address); the others run the seed's sketch with the Espwire library (radar-1, radar-2, ...), so a receiver
/// restart shows what each loses.</summary>
internal sealed class DemoFleet : IAsyncDisposable
{
    private readonly List<Member> _members = [];

    public sealed record Member(VirtualModule Module, string Device, SketchKind Kind, SketchCounters Counters);

    public IReadOnlyList<Member> Members => _members;

    /// <summary>The seed's module is stored under its address: the seed's sketch never names itself.</summary>
    public const string SeedDevice = "127.0.0.1";

    public static DemoFleet Start(int count, string serverHost, int serverPort, double intervalSeconds, double timeScale,
        IProgress<SketchProgress> progress, Action<string, string>? serial)
    {
        var fleet = new DemoFleet();
        for (var i = 0; i < count; i++)
        {
            var seed = i == 0;
            var counters = new SketchCounters();
            var module = new VirtualModule(new ModuleOptions
            {
                Mode = BootMode.Sketch,
                Index = i,
                TimeScale = timeScale,
                Sketch = new SketchOptions
                {
                    ServerHost = serverHost,
                    ServerPort = serverPort,
                    // Simulated time, as in `espwire emulate`: --time-scale shrinks it like the scan and the join.
                    Interval = TimeSpan.FromSeconds(intervalSeconds),
                    Shape = seed ? ValueShape.Counter : ValueShape.Radar,
                    Kind = seed ? SketchKind.Seed : SketchKind.Espwire,
                    DeviceId = seed ? null : $"radar-{i}",
                    Progress = progress,
                    Counters = counters,
                },
            });
            var device = seed ? SeedDevice : $"radar-{i}";
            if (serial is not null)
            {
                var name = seed ? "module 1" : device;
                var splitter = new SerialLineSplitter(line => serial(name, line));
                module.SerialOutput += bytes => splitter.Feed(bytes);
            }
            module.Start();
            fleet._members.Add(new Member(module, device, seed ? SketchKind.Seed : SketchKind.Espwire, counters));
        }
        return fleet;
    }

    /// <summary>Waits (bounded) until the Espwire modules hold no unacknowledged reading, so the summary is fair.</summary>
    public async Task DrainAsync(TimeSpan ceiling)
    {
        var until = DateTime.UtcNow + ceiling;
        while (DateTime.UtcNow < until && _members.Any(m => m.Kind == SketchKind.Espwire && m.Counters.Pending > 0))
            await Task.Delay(50).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var m in _members) await m.Module.DisposeAsync().ConfigureAwait(false);
    }
}
