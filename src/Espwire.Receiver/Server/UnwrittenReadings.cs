using Espwire.Receiver.Readings;
using Espwire.Receiver.Sinks;

namespace Espwire.Receiver.Server;

/// <summary>Where a stop puts the readings the store could not write: a JSON-lines file next to the database (or in
/// the temp directory when that cannot be written either), so nothing read from a socket vanishes silently.</summary>
internal sealed class UnwrittenReadings(ReceiverCore core, string? nextTo)
{
    private JsonLinesReadingSink? _file;
    private bool _noFile;
    private long _count;
    private long _lost;
    private readonly Dictionary<string, long> _alreadyIn = new(StringComparer.Ordinal);

    /// <summary>The file the readings went to, once there were some.</summary>
    public string? Path { get; private set; }

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Readings that could be written neither to the store nor to a file.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Saves <paramref name="batch"/>; <paramref name="alreadyIn"/> are the sinks that wrote it before the
    /// one that failed, named in the report so the file is not loaded into them twice.</summary>
    public async Task SaveAsync(List<Reading> batch, IEnumerable<IReadingSink> alreadyIn)
    {
        foreach (var sink in alreadyIn)
        {
            var where = StoreTrouble.Where(sink);
            _alreadyIn[where] = _alreadyIn.GetValueOrDefault(where) + batch.Count;
        }
        Interlocked.Add(ref _count, batch.Count);
        Interlocked.Add(ref core.Stats.ReadingsUnwritten, batch.Count);
        if (_file is null && !_noFile) Open();
        if (_file is not null)
        {
            try
            {
                await _file.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _noFile = true;
            }
        }
        Interlocked.Add(ref _lost, batch.Count);
    }

    private void Open()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var name = (nextTo is null ? "espwire" : System.IO.Path.GetFileName(nextTo)) + $".unwritten-{stamp}.jsonl";
        var dir = nextTo is null ? Environment.CurrentDirectory : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(nextTo))!;
        foreach (var candidate in new[] { System.IO.Path.Combine(dir, name), System.IO.Path.Combine(System.IO.Path.GetTempPath(), name) })
        {
            try
            {
                _file = new JsonLinesReadingSink(candidate);
                Path = candidate;
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Try the next place.
            }
        }
        _noFile = true;
    }

    /// <summary>Closes the file and says how many readings went where (null: there were none).</summary>
    public async Task<string?> CloseAsync()
    {
        if (_file is not null)
        {
            try
            {
                await _file.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Flushing the last bytes failed: counted as lost below would be a guess; the count stays.
            }
            _file = null;
        }
        if (Count == 0) return null;
        var saved = Count - Lost;
        var text = $"{Count} readings could not be written to the store before the stop.";
        if (saved > 0) text += $" {saved} of them are in {Path} (one JSON object per line, as --jsonl writes).";
        if (Lost > 0) text += $" {Lost} could be written nowhere (no writable place for a file) and are lost.";
        foreach (var (where, count) in _alreadyIn)
            text += count == Count
                ? $" All of them are already in {where}: load them only where they are missing."
                : $" {count} of them are already in {where}: load them only where they are missing.";
        return text;
    }
}
