using System.Text.Json;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Sinks;

/// <summary>Appends one JSON object per reading to a file (<c>--jsonl PATH</c>), flushed after every batch.</summary>
public sealed class JsonLinesReadingSink : IReadingSink
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _writer;

    public JsonLinesReadingSink(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        _writer = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true, Encoder = ReadingJson.WriterOptions.Encoder });
    }

    public async ValueTask WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        foreach (var reading in batch)
        {
            ReadingJson.Write(_writer, reading);
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            _file.WriteByte((byte)'\n');
            _writer.Reset(_file);
        }
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
