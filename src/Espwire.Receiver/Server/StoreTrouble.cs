using Espwire.Receiver.Sinks;
using Microsoft.Data.Sqlite;

namespace Espwire.Receiver.Server;

/// <summary>Says what a failing sink's error means for the operator, and what to do about it.</summary>
internal static class StoreTrouble
{
    /// <summary>The sink as the operator knows it: "the database espwire.db", "the JSON-lines file readings.jsonl".</summary>
    public static string Where(IReadingSink sink) => sink switch
    {
        SqliteReadingSink sqlite => $"the database {sqlite.Path}",
        JsonLinesReadingSink jsonl => $"the JSON-lines file {jsonl.Path}",
        _ => sink.GetType().Name,
    };

    public static string Describe(IReadingSink sink, Exception e, long queued)
    {
        var where = Where(sink);
        var fix = e switch
        {
            SqliteException { SqliteErrorCode: 13 } => "free disk space there",
            SqliteException { SqliteErrorCode: 5 or 6 } => "stop the other program holding the database locked",
            SqliteException { SqliteErrorCode: 8 } => "make the file writable again",
            SqliteException { SqliteErrorCode: 10 or 14 } => "check the disk and the file (permissions, mount)",
            IOException => "check the disk (full? removed?) and the file's permissions",
            UnauthorizedAccessException => "make the file writable again",
            _ => "fix the cause",
        };
        return $"Cannot write to {where}: {e.Message}. Waiting with {queued} readings in memory; sockets are not read " +
            $"until it works (retrying, reported once a minute). To continue, {fix}: the receiver resumes by itself.";
    }
}
