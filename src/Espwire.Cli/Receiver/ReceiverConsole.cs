using System.Text.Json;
using System.Threading.Channels;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Readings;
using Espwire.Receiver.Server;

namespace Espwire.Cli.Receiver;

/// <summary>Renders a receiver's events the way the seed's server printed them (or as JSON lines). Printing runs on
/// its own task behind a bounded buffer: a slow terminal never slows the sockets or the database. If the terminal
/// falls behind, lines are skipped (the data is still stored) and the summary says how many.</summary>
internal sealed class ReceiverConsole : IAsyncDisposable
{
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly LogFormat _format;
    private readonly bool _quiet;
    private readonly Channel<(bool Error, string Line)> _lines =
        Channel.CreateBounded<(bool, string)>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _printer;
    private long _skipped;

    public ReceiverConsole(TextWriter output, TextWriter error, LogFormat format, bool quiet)
    {
        _out = output;
        _error = error;
        _format = format;
        _quiet = quiet;
        _printer = Task.Run(PrintAsync);
    }

    public long Skipped => Interlocked.Read(ref _skipped);

    public void Attach(ReceiverHost host)
    {
        host.Notice += OnNotice;
        if (_quiet) return;
        host.ConnectionAccepted += OnAccepted;
        host.ReadingStored += OnReading;
    }

    public void Listening(ReceiverHost host)
    {
        foreach (var tcp in host.TcpEndpoints)
            Write(false, _format == LogFormat.Json ? Json("listening", w => { w.WriteString("transport", "tcp"); w.WriteString("endpoint", tcp.ToString()); })
                : $"Listening '{EndpointParser.Describe(tcp)}'");
        foreach (var udp in host.UdpEndpoints)
            Write(false, _format == LogFormat.Json ? Json("listening", w => { w.WriteString("transport", "udp"); w.WriteString("endpoint", udp.ToString()); })
                : $"Listening '{EndpointParser.Describe(udp)}' (UDP)");
        foreach (var http in host.HttpEndpoints)
            Write(false, _format == LogFormat.Json ? Json("listening", w => { w.WriteString("transport", "http"); w.WriteString("endpoint", http.ToString()); })
                : $"Live page and API on http://{EndpointParser.Describe(http)}/");
        if (_format == LogFormat.Text) Write(false, "");
    }

    private void OnAccepted(ConnectionInfo connection) =>
        Write(false, _format == LogFormat.Json ? Json("accepted", w => w.WriteString("remote", connection.Remote.ToString()))
            : $"Accepted connection from {ReceiverCore.Describe(connection.Remote)}");

    private void OnReading(Reading reading)
    {
        if (_format == LogFormat.Json)
        {
            Write(false, "{\"event\":\"reading\",\"reading\":" + ReadingJson.ToJson(reading) + "}");
            return;
        }
        var line = $"Received data : {reading.Raw}";
        if (reading.Transport == Transport.Udp) line += $"  (UDP from {ReceiverCore.Describe(reading.Remote)})";
        if ((reading.Flags & ReadingFlags.Partial) != 0) line += "  (partial: the connection closed before its newline)";
        Write(false, line);
    }

    private void OnNotice(ReceiverNotice notice) =>
        Write(true, _format == LogFormat.Json
            ? Json("notice", w => { w.WriteString("kind", notice.Kind.ToString().ToLowerInvariant()); w.WriteString("message", notice.Message); })
            : $"espwire serve: {notice.Message}");

    public void Summary(ReceiverStatsSnapshot stats)
    {
        if (_format == LogFormat.Json)
        {
            Write(false, Json("stopped", w =>
            {
                w.WritePropertyName("stats");
                JsonSerializer.Serialize(w, stats, ReadingJson.SerializerOptions);
                w.WriteNumber("console_lines_skipped", Skipped);
            }));
            return;
        }
        var text = $"Stopped. {stats.ReadingsStored} readings stored from {stats.ConnectionsAccepted} connections and {stats.UdpDatagrams} datagrams.";
        var dropped = stats.LinesTooLong + stats.LinesInvalidUtf8 + stats.LinesBinary;
        if (dropped > 0) text += $" Dropped lines: {stats.LinesTooLong} too long, {stats.LinesInvalidUtf8} invalid UTF-8, {stats.LinesBinary} binary.";
        var refused = stats.RefusedNotAllowed + stats.RefusedTooManyConnections + stats.RefusedTooManyFromAddress;
        if (refused > 0) text += $" Refused connections: {stats.RefusedNotAllowed} not allowed, {stats.RefusedTooManyConnections} over --max-connections, {stats.RefusedTooManyFromAddress} over --max-per-address.";
        if (stats.IdleTimeouts > 0) text += $" Idle timeouts: {stats.IdleTimeouts}.";
        if (stats.MqttBacklog is > 0 and var backlog) text += $" MQTT: {backlog} readings not yet acknowledged by the broker (kept in the database for the next start; lost with --no-db).";
        if (stats.ConnectionsWaited > 0) text += $" Connections that waited for a slot (--max-connections / --max-per-address): {stats.ConnectionsWaited}, {stats.ConnectionsWaiting} still waiting.";
        if (stats.Hellos > 0) text += $" Acknowledged: {stats.AcksSent} ACKs, {stats.NaksSent} NAKs, {stats.Duplicates} duplicates not stored again.";
        if (stats.MalformedSeq > 0) text += $" Malformed #SEQ lines (stored as plain): {stats.MalformedSeq}.";
        if (stats.StoreRetries > 0) text += $" Store write retries: {stats.StoreRetries}.";
        if (Skipped > 0) text += $" ({Skipped} console lines skipped to keep up; every reading is stored.)";
        Write(true, text);
    }

    /// <summary>A line of the caller's own among the receiver's (espwire demo prints the modules' serial output).</summary>
    public void Info(string line) => Write(false, line);

    private void Write(bool error, string line)
    {
        if (!_lines.Writer.TryWrite((error, line))) Interlocked.Increment(ref _skipped);
    }

    private static string Json(string name, Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, ReadingJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("event", name);
            body(writer);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private async Task PrintAsync()
    {
        await foreach (var (error, line) in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var writer = error ? _error : _out;
            await writer.WriteLineAsync(line).ConfigureAwait(false);
            if (_lines.Reader.Count == 0) await writer.FlushAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _printer.ConfigureAwait(false);
        await _out.FlushAsync().ConfigureAwait(false);
        await _error.FlushAsync().ConfigureAwait(false);
    }
}
