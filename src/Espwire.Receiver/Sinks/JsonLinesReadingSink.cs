using System.Buffers;
using System.Text.Json;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Sinks;

/// <summary>Appends one JSON object per reading to a file (<c>--jsonl PATH</c>), one write per batch. A batch that
/// cannot be written (a full disk) is taken back off the file's end and nothing of it stays buffered, so the
/// writer's retry appends it once, whole.</summary>
public sealed class JsonLinesReadingSink : IReadingSink
{
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _writer;

    public JsonLinesReadingSink(string path)
    {
        Path = path;
        // Unbuffered: the batch is built in memory and goes out in one write, so a failure leaves nothing behind.
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true, Encoder = ReadingJson.WriterOptions.Encoder });
    }

    public string Path { get; }

    public async ValueTask WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        foreach (var reading in batch)
        {
            _writer.Reset(_buffer);
            ReadingJson.Write(_writer, reading);
            _writer.Flush();
            _buffer.Write("\n"u8);
        }
        var end = _file.CanSeek ? _file.Position : -1;
        try
        {
            await _file.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (end >= 0)
        {
            TakeBack(end);
            throw;
        }
    }

    /// <summary>Cuts off what a failed write may have appended (part of a batch), best effort.</summary>
    private void TakeBack(long end)
    {
        try
        {
            if (_file.Length > end) _file.SetLength(end);
            _file.Position = end;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            // A device or a file that cannot shrink: the retry appends after the fragment.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
