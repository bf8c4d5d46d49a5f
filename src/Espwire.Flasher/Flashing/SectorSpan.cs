namespace Espwire.Flasher.Flashing;

/// <summary>Consecutive sectors of a region (by index from its start) written in one FLASH_BEGIN.</summary>
public readonly record struct SectorSpan(int First, int Count)
{
    /// <summary>The runs of true flags, in order: [F,T,T,F,T] gives (1,2) and (4,1).</summary>
    public static IReadOnlyList<SectorSpan> Runs(IReadOnlyList<bool> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var runs = new List<SectorSpan>();
        var i = 0;
        while (i < changed.Count)
        {
            if (!changed[i]) { i++; continue; }
            var first = i;
            while (i < changed.Count && changed[i]) i++;
            runs.Add(new SectorSpan(first, i - first));
        }
        return runs;
    }
}
