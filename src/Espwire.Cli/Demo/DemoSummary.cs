using System.Globalization;
using Espwire.Emulator.Sketch;
using Spectre.Console;

namespace Espwire.Cli.Demo;

/// <summary>The demo's closing table: per device what it made, what the receiver stored, and what was lost.</summary>
internal static class DemoSummary
{
    public static void Print(TextWriter output, DemoFleet fleet, IReadOnlyDictionary<string, (long Count, string Last)> stored, bool restarted)
    {
        var console = CliConsole.For(output);
        var table = new Table().AddColumns("device", "sketch", "made", "stored", "kept (unacknowledged)", "lost", "last value");
        long seedLost = 0, espwireLost = 0;
        foreach (var m in fleet.Members)
        {
            var (count, last) = stored.TryGetValue(m.Device, out var s) ? s : (0, "");
            var made = m.Counters.Produced;
            var kept = m.Kind == SketchKind.Espwire ? m.Counters.Pending : 0;
            var lost = Math.Max(0, made - count - kept);
            if (m.Kind == SketchKind.Seed) seedLost += lost;
            else espwireLost += lost;
            table.AddRow(Markup.Escape(m.Device), m.Kind == SketchKind.Seed ? "seed" : "espwire",
                N(made), N(count), N(kept), N(lost), Markup.Escape(last));
        }
        // Readings of devices not in the fleet (another sender on the port) are listed too: nothing hidden.
        foreach (var (device, (count, last)) in stored.Where(p => fleet.Members.All(m => m.Device != p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(device), "-", "-", N(count), "-", "-", Markup.Escape(last));
        console.Write(table);
        if (restarted)
        {
            output.WriteLine(fleet.Members.Count > 1
                ? $"After the receiver restart: the seed module lost {seedLost}, the espwire modules lost {espwireLost}."
                : $"After the receiver restart: the seed module lost {seedLost}.");
        }
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
