using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Testing;

namespace Espwire.Cli.Tests.ServeProcess;

/// <summary><c>espwire serve</c> runs socket completions inline on one socket event thread (the receiving and
/// parsing run there, not on the thread pool); the user's DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 keeps
/// .NET's default, where that thread only hands events to the pool. Seen from outside through /proc: the CPU time
/// of the threads named ".NET Sockets" as a share of the process's, while serve parses a stream of lines.</summary>
public sealed class ServeSocketThreadsTests
{
    private const int Lines = 300_000;

    [Fact]
    public async Task Serve_parses_on_one_inline_socket_event_thread_and_the_variable_at_0_keeps_dotnets_thread_pool()
    {
        var (inlineThreads, inlineShare) = await EventThreadShareAsync(env: null);
        var (pooledThreads, pooledShare) = await EventThreadShareAsync(env: new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "0" });
        Assert.Equal(1, inlineThreads);
        Assert.True(pooledThreads >= 1, $"{pooledThreads} socket event threads with the variable at 0");
        // Inline, the event thread does the receiving and the parsing (measured 38-40% of the process's CPU, the rest is
        // the JIT, the pump and the GC). Pooled, it only dispatches (0%).
        Assert.True(inlineShare > 0.15 && pooledShare < inlineShare / 2,
            $"CPU share of the socket event thread: {inlineShare:P0} inline (serve's default), {pooledShare:P0} with the variable at 0");
    }

    // Starts serve without a store, sends it a stream of lines on one connection, waits until it has counted them
    // all, and returns how many ".NET Sockets" threads it has and their share of the process's CPU time.
    private static async Task<(int Threads, double Share)> EventThreadShareAsync(IReadOnlyDictionary<string, string>? env)
    {
        await using var serve = ChildProcess.Espwire(["serve", "--tcp", "127.0.0.1:0", "--no-udp", "--no-db", "--quiet", "--http", "127.0.0.1:0"], env);
        var (tcp, _) = await serve.WaitUntilListeningAsync();
        var http = await serve.WaitForLineAsync(l => l.StartsWith("Live page and API on http://", StringComparison.Ordinal), "the API's address");
        var api = new Uri(http["Live page and API on ".Length..].Trim());
        var process = CpuTicks(serve.Id, task: null);
        var sockets = EventThreadTicks(serve.Id);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(tcp[0]);
            var text = new StringBuilder();
            for (var i = 0; i < Lines; i++) text.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
        }
        using var web = new HttpClient();
        await Eventually.UntilAsync(async () => (await web.GetStringAsync(new Uri(api, "/api/stats"))).Contains($"\"readings_received\":{Lines.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal),
            $"{Lines} readings received", context: serve.Transcript);
        var threads = EventThreads(serve.Id).Count;
        var share = (double)(EventThreadTicks(serve.Id) - sockets) / Math.Max(1, CpuTicks(serve.Id, task: null) - process);
        Assert.Equal(0, await serve.StopAsync(Signal.Terminate));
        return (threads, share);
    }

    private static List<string> EventThreads(int pid) =>
        Directory.GetDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task").Where(task => Read(Path.Combine(task, "comm"))?.TrimEnd('\n') == ".NET Sockets").ToList();

    private static long EventThreadTicks(int pid) => EventThreads(pid).Sum(task => CpuTicks(pid, Path.GetFileName(task)));

    // utime + stime (fields 14 and 15 of stat) of the process, or of one of its threads.
    private static long CpuTicks(int pid, string? task)
    {
        var stat = Read(task is null ? $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat" : $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task/{task}/stat");
        if (stat is null) return 0;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the thread ended between the listing and the read
        }
    }
}
