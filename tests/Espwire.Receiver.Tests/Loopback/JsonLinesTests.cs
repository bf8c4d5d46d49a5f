using System.Text.Json;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

public sealed class JsonLinesTests
{
    [Fact]
    public async Task Every_reading_is_appended_as_one_readable_json_line_beside_the_database()
    {
        var path = Path.Combine(Path.GetTempPath(), $"espwire-jsonl-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var receiver = await TestReceiver.StartAsync(o => o with { JsonLinesPath = path }))
            {
                await receiver.SendPerMessageAsync("581");
                await receiver.SendPerMessageAsync("""{"id":"radar-1","range":2.5,"note":"방"}""");
                await receiver.WaitForStoredAsync(2);
                await receiver.StopAsync();
                Assert.Equal(2, (await receiver.ReadAllAsync()).Count);
            }
            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal(2, lines.Length);
            Assert.Contains("\"raw\":\"{\\\"id\\\":\\\"radar-1\\\",\\\"range\\\":2.5,\\\"note\\\":\\\"방\\\"}\"", lines[1], StringComparison.Ordinal);
            using var first = JsonDocument.Parse(lines[0]);
            Assert.Equal(("127.0.0.1", 1, 581.0), (first.RootElement.GetProperty("device").GetString(), first.RootElement.GetProperty("seq").GetInt64(),
                first.RootElement.GetProperty("values").GetProperty("value").GetDouble()));
            using var second = JsonDocument.Parse(lines[1]);
            Assert.Equal("radar-1", second.RootElement.GetProperty("device").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
