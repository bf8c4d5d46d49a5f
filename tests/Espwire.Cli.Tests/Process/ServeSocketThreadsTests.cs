using System.Globalization;
using System.Net;
using Espwire.Testing;

namespace Espwire.Cli.Tests.ServeProcess;

/// <summary><c>espwire serve</c> runs socket completions inline on .NET's socket event threads, which .NET then
/// starts one per core (its default is one for up to 30 cores, handing every completion to the thread pool); the
/// user's DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 keeps .NET's default. The threads are counted by name in
/// /proc once each has handled a connection (accepted sockets go to the event threads in turn).</summary>
public sealed class ServeSocketThreadsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-serve-threads-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Serve_runs_one_inline_socket_event_thread_per_core_and_the_variable_at_0_keeps_dotnets_default()
    {
        var inline = await SocketEventThreadsAsync(env: null);
        Assert.Equal(Environment.ProcessorCount, inline);
        var pooled = await SocketEventThreadsAsync(env: new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "0" });
        // .NET's own default: one event thread per 30 cores (8 on ARM), so fewer than one per core wherever there are two.
        Assert.True(pooled >= 1 && (pooled < inline || Environment.ProcessorCount == 1), $"{pooled} socket event threads with the variable at 0, {inline} without it");
    }

    // Starts serve, has it take one more connection than it has event threads (each sends a reading and is closed
    // once the reading is stored), counts the threads named ".NET Sockets", and stops it.
    private async Task<int> SocketEventThreadsAsync(IReadOnlyDictionary<string, string>? env)
    {
        var db = Path.Combine(_dir, $"readings-{Guid.NewGuid():N}.db");
        await using var serve = ChildProcess.Espwire(["serve", "--tcp", "127.0.0.1:0", "--no-udp", "--db", db, "--quiet"], env);
        var (tcp, _) = await serve.WaitUntilListeningAsync();
        for (var i = 0; i <= Environment.ProcessorCount; i++)
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(tcp[0]);
            await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{i.ToString(CultureInfo.InvariantCulture)}\n"));
        }
        await Eventually.UntilAsync(() => Stored(db) == Environment.ProcessorCount + 1, "every reading stored", context: serve.Transcript);
        var threads = Directory.GetDirectories($"/proc/{serve.Id.ToString(CultureInfo.InvariantCulture)}/task")
            .Count(task => ReadComm(task) == ".NET Sockets");
        Assert.Equal(0, await serve.StopAsync(Signal.Terminate));
        return threads;
    }

    private static string? ReadComm(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null; // the thread ended between the listing and the read
        }
    }

    private static long Stored(string path)
    {
        if (!File.Exists(path)) return 0;
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM readings";
            return (long)command.ExecuteScalar()!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // serve has not created the file or its table yet
        }
    }
}
