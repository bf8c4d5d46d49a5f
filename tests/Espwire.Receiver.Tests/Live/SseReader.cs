namespace Espwire.Receiver.Tests.Live;

/// <summary>Reads server-sent events off a response: each event's id, type and data.</summary>
internal sealed class SseReader(StreamReader reader)
{
    public async Task<(string? Id, string Event, string Data)?> NextAsync(TimeSpan patience)
    {
        string? id = null, type = null;
        var data = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync().WaitAsync(patience);
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (data.Count == 0 && type is null) continue; // a comment or retry block
                return (id, type ?? "message", string.Join("\n", data));
            }
            if (line.StartsWith(':')) continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Add(value); break;
            }
        }
    }
}
